/**
 * `concurrency-kit init --ci github`: the GitHub Actions workflow that runs `check` and `verify` on pull requests
 * and uploads `check`'s SARIF to code scanning, installing with the project's package manager. Written once; a
 * workflow that differs from what the kit writes (the user edited it) is never replaced without `--force`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageManager } from '../project/package-manager.js';

/** Where the workflow goes, relative to the project root. */
export const WORKFLOW_PATH = '.github/workflows/concurrency-kit.yml';

const INSTALL: Readonly<Record<PackageManager, { setup: readonly string[]; install: string; exec: string }>> = {
  npm: { setup: ['      - uses: actions/setup-node@v4', '        with:', '          node-version: lts/*', '          cache: npm'], install: 'npm ci', exec: 'npx' },
  pnpm: {
    setup: ['      - uses: pnpm/action-setup@v4', '      - uses: actions/setup-node@v4', '        with:', '          node-version: lts/*', '          cache: pnpm'],
    install: 'pnpm install --frozen-lockfile',
    exec: 'pnpm exec',
  },
  yarn: { setup: ['      - uses: actions/setup-node@v4', '        with:', '          node-version: lts/*', '          cache: yarn'], install: 'yarn install --immutable', exec: 'yarn run' },
  bun: { setup: ['      - uses: oven-sh/setup-bun@v2'], install: 'bun install --frozen-lockfile', exec: 'bunx' },
};

/** The workflow's text for a project installed with `manager`. */
export function githubWorkflow(manager: PackageManager): string {
  const { setup, install, exec } = INSTALL[manager];
  return [
    '# Written by `npx concurrency-kit init --ci github`. Edit freely: the kit never replaces an edited workflow.',
    '# check: static rules of the concurrency checklist over your code, uploaded to code scanning as SARIF.',
    '# verify: the generated modules\' tests under the leak check, and the checklist they prove.',
    'name: concurrency-kit',
    '',
    'on:',
    '  pull_request:',
    '  push:',
    '    branches: [main]',
    '',
    'permissions:',
    '  contents: read',
    '  security-events: write',
    '',
    'jobs:',
    '  concurrency:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    ...setup,
    `      - run: ${install}`,
    '      - name: check',
    '        id: check',
    '        continue-on-error: true',
    `        run: ${exec} concurrency-kit check --format sarif --output-file concurrency-kit.sarif`,
    '      - name: upload check findings to code scanning',
    '        if: always() && hashFiles(\'concurrency-kit.sarif\') != \'\'',
    '        uses: github/codeql-action/upload-sarif@v3',
    '        with:',
    '          sarif_file: concurrency-kit.sarif',
    '          category: concurrency-kit',
    '      - name: verify',
    `        run: ${exec} concurrency-kit verify`,
    '      - name: fail on check findings',
    "        if: steps.check.outcome == 'failure'",
    '        run: exit 1',
    '',
  ].join('\n');
}

/** What writing the workflow would do: create it, leave it (identical), or keep it (it differs: edited by its owner). */
export function workflowAction(root: string, contents: string): 'create' | 'unchanged' | 'kept' {
  const path = join(root, WORKFLOW_PATH);
  if (!existsSync(path)) return 'create';
  return readFileSync(path, 'utf8') === contents ? 'unchanged' : 'kept';
}
