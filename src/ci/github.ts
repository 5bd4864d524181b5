/**
 * `concurrency-kit init --ci github`: the GitHub Actions workflow that runs `check` and `verify` on pull requests
 * and uploads `check`'s SARIF to code scanning, installing with the project's package manager. Written once; a
 * workflow that differs from what the kit writes (the user edited it) is never replaced without `--force`. GitHub
 * reads workflows only at the repository's root: for one package of a monorepo the workflow goes there, named after
 * the package's folder, installs where the lockfile is and runs `check` and `verify` in the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PackageManager } from '../project/package-manager.js';

/** Where the workflow goes, relative to the repository root, for a project at its top. */
export const WORKFLOW_PATH = '.github/workflows/concurrency-kit.yml';

/** Where a project sits in its repository: POSIX folders relative to the repository root, `''` for the top. */
export interface WorkflowPlacement {
  /** The project's folder (`packages/app`). */
  readonly project: string;
  /** The folder whose lockfile the install step reads (the workspace root, usually `''`). */
  readonly install: string;
  /** That lockfile, relative to the repository root, when there is one. */
  readonly lockfile?: string;
  /**
   * For pnpm: whether the install folder's package.json names pnpm in its `packageManager` field, which
   * pnpm/action-setup reads for the version to install; without it the workflow pins pnpm 10.
   */
  readonly pnpmFromPackageJson?: boolean;
}

const TOP: WorkflowPlacement = { project: '', install: '' };

/** `packages/app` → `packages-app`: a file name and a code-scanning category unique to the project's folder. */
const slug = (folder: string): string => folder.replace(/[^A-Za-z0-9._-]+/g, '-');

/** The workflow's path relative to the repository root: one per project folder, so packages do not collide. */
export function workflowPath(placement: WorkflowPlacement = TOP): string {
  return placement.project === '' ? WORKFLOW_PATH : `.github/workflows/concurrency-kit-${slug(placement.project)}.yml`;
}

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

/** The workflow's text for a project installed with `manager`, placed in its repository as `placement` says. */
export function githubWorkflow(manager: PackageManager, placement: WorkflowPlacement = TOP): string {
  const { setup, install, exec } = INSTALL[manager];
  const inFolder = (folder: string): string[] => (folder === '' ? [] : [`        working-directory: ${folder}`]);
  const sarif = placement.project === '' ? 'concurrency-kit.sarif' : `${placement.project}/concurrency-kit.sarif`;
  // setup-node looks for the lockfile at the repository root unless told where it is.
  const cachePath = placement.install !== '' && placement.lockfile !== undefined ? [`          cache-dependency-path: ${placement.lockfile}`] : [];
  // pnpm/action-setup reads the version from the root package.json's `packageManager`, or must be given one.
  const pnpmWith =
    placement.pnpmFromPackageJson === false
      ? ['        with:', '          version: 10']
      : placement.install === ''
        ? []
        : ['        with:', `          package_json_file: ${placement.install}/package.json`];
  const setupLines = setup.flatMap((line) =>
    line.startsWith('          cache: ') ? [line, ...cachePath] : line.includes('pnpm/action-setup@') ? [line, ...pnpmWith] : [line],
  );
  return [
    '# Written by `npx concurrency-kit init --ci github`. Edit freely: the kit never replaces an edited workflow.',
    '# check: static rules of the concurrency checklist over your code, uploaded to code scanning as SARIF.',
    '# verify: the generated modules\' tests under the leak check, and the checklist they prove.',
    `name: concurrency-kit${placement.project === '' ? '' : ` (${placement.project})`}`,
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
    ...setupLines,
    `      - run: ${install}`,
    ...inFolder(placement.install),
    '      - name: check',
    '        id: check',
    '        continue-on-error: true',
    `        run: ${exec} concurrency-kit check --format sarif --output-file concurrency-kit.sarif`,
    ...inFolder(placement.project),
    '      - name: upload check findings to code scanning',
    `        if: always() && hashFiles('${sarif}') != ''`,
    '        uses: github/codeql-action/upload-sarif@v3',
    '        with:',
    `          sarif_file: ${sarif}`,
    `          category: concurrency-kit${placement.project === '' ? '' : `-${slug(placement.project)}`}`,
    '      - name: verify',
    `        run: ${exec} concurrency-kit verify`,
    ...inFolder(placement.project),
    '      - name: fail on check findings',
    "        if: steps.check.outcome == 'failure'",
    '        run: exit 1',
    '',
  ].join('\n');
}

/** What writing the workflow at `path` would do: create it, leave it (identical), or keep it (it differs: edited by its owner). */
export function workflowAction(path: string, contents: string): 'create' | 'unchanged' | 'kept' {
  if (!existsSync(path)) return 'create';
  return readFileSync(path, 'utf8') === contents ? 'unchanged' : 'kept';
}
