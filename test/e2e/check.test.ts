/**
 * `concurrency-kit check` end to end: the built CLI in one temp project, run in every format and for every exit
 * code. The project holds one instance of each rule (test/e2e/check-samples/one-of-each.ts) and the same code
 * fixed (fixed.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/check/rules/index.js';
import { runCli } from '../helpers/run-cli.js';
import { sarifValidator } from '../helpers/sarif-schema.js';
import { createTempProject, REPO, snapshotTree, type TempProject } from '../helpers/temp-project.js';

const SAMPLES = join(REPO, 'test', 'e2e', 'check-samples');
const ALL = 'src/one-of-each.ts';
const FIXED = 'src/fixed.ts';

let project: TempProject;
let outDir: string;

beforeAll(() => {
  project = createTempProject({
    'package.json': { name: 'check-e2e', private: true, type: 'module' },
    'tsconfig.json': {
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, skipLibCheck: true, noEmit: true },
      include: ['src'],
    },
    [ALL]: readFileSync(join(SAMPLES, 'one-of-each.ts'), 'utf8'),
    [FIXED]: readFileSync(join(SAMPLES, 'fixed.ts'), 'utf8'),
  });
  outDir = mkdtempSync(join(tmpdir(), 'ck-check-out-'));
});

afterAll(() => {
  project.cleanup();
  rmSync(outDir, { recursive: true, force: true });
});

const env = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

describe('check (built CLI)', () => {
  it('exit 1 and every rule reported in the pretty format, grouped by file, with frames, fixes and a summary', async () => {
    const r = await runCli(['check'], project.dir, { env });
    expect(r.exitCode, r.stderr).toBe(1);
    for (const rule of RULES) expect(r.stdout).toContain(`  ${rule.id}  `);
    expect(r.stdout).toContain(`${ALL}:14:10  warning  bound.concurrency  Promise.all starts one promise per element of \`ids\``);
    expect(r.stdout).toContain('    > 14 |   return Promise.all(ids.map((id) => fetchUser(id)));');
    expect(r.stdout).toContain('Fix: Run the work through a bounded pool: `npx concurrency-kit add fan-out-fan-in`');
    expect(r.stdout).toMatch(/14 findings \(5 errors, 9 warnings\) in 2 files\.$/);
    expect(r.stdout).not.toContain(FIXED);
  });

  it('exit 0 on the fixed code', async () => {
    const r = await runCli(['check', FIXED], project.dir, { env });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('No findings (0 errors, 0 warnings) in 1 file.');
  });

  it('json: one envelope on stdout', async () => {
    const r = await runCli(['check', '--format', 'json'], project.dir, { env });
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(r.stdout) as { schemaVersion: number; ok: boolean; summary: Record<string, number>; findings: { ruleId: string; file: string; fingerprint: string }[] };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.summary).toEqual({ files: 2, findings: 14, errors: 5, warnings: 9, suppressed: 0 });
    expect(new Set(doc.findings.map((f) => f.ruleId))).toEqual(new Set(RULES.map((rule) => rule.id)));
    expect(doc.findings.every((f) => f.file === ALL && /^[0-9a-f]{32}$/.test(f.fingerprint))).toBe(true);
  });

  it('sarif to --output-file validates against the SARIF 2.1.0 schema', async () => {
    const file = join(outDir, 'check.sarif');
    const r = await runCli(['check', '--format', 'sarif', '--output-file', file], project.dir, { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const validate = await sarifValidator();
    const log = JSON.parse(readFileSync(file, 'utf8')) as { runs: [{ results: { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] }[] }] };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results).toHaveLength(14);
    expect(log.runs[0].results[0]?.locations[0].physicalLocation.artifactLocation.uri).toBe(ALL);
  });

  it('under GITHUB_ACTIONS=true with no --format: annotations, and the markdown table appended to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(outDir, 'summary.md');
    const r = await runCli(['check'], project.dir, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(14);
    expect(lines[0]).toMatch(/^::warning file=src\/one-of-each\.ts,line=14,col=10,endLine=14,endColumn=\d+,title=bound\.concurrency::Promise\.all /);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| Severity | Rule | Location | Message |');
    expect(md.match(/^\| error \|/gm)).toHaveLength(5);
    expect(md.match(/^\| warning \|/gm)).toHaveLength(9);
  });

  it('in one package of a git repository: SARIF, annotations and the step summary name files from the repository root; json from the package', async () => {
    const repo = createTempProject({
      'package.json': { name: 'monorepo', private: true, workspaces: ['packages/*'] },
      'packages/app/package.json': { name: 'app', private: true, type: 'module' },
      'packages/app/tsconfig.json': { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, skipLibCheck: true, noEmit: true }, include: ['src'] },
      'packages/app/src/tick.ts': 'export function start(): void {\n  setInterval(() => undefined, 1000);\n}\n',
    });
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo.dir });
      const app = join(repo.dir, 'packages', 'app');
      const sarif = join(outDir, 'package.sarif');
      expect((await runCli(['check', '--format', 'sarif', '--output-file', sarif], app, { env })).exitCode).toBe(1);
      const log = JSON.parse(readFileSync(sarif, 'utf8')) as { runs: [{ results: { locations: [{ physicalLocation: { artifactLocation: { uri: string } } }] }[] }] };
      expect(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['packages/app/src/tick.ts']);
      const summary = join(outDir, 'package-summary.md');
      const annotations = await runCli(['check'], app, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
      expect(annotations.stdout).toMatch(/^::error file=packages\/app\/src\/tick\.ts,line=2,col=3,/);
      expect(readFileSync(summary, 'utf8')).toContain('`packages/app/src/tick.ts:2:3`');
      const json = JSON.parse((await runCli(['check', '--format', 'json'], app, { env })).stdout) as { findings: { file: string }[] };
      expect(json.findings.map((f) => f.file)).toEqual(['src/tick.ts']);
    } finally {
      repo.cleanup();
    }
  });

  it('junit: one testsuite per file, one testcase per rule', async () => {
    const r = await runCli(['check', '--format', 'junit'], project.dir, { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout.match(/<testsuite /g)).toHaveLength(2);
    expect(r.stdout).toContain(`failures="${String(RULES.length)}"`);
    expect(r.stdout).toContain(`<testcase classname="${FIXED}" name="leak.timers"/>`);
  });

  it('--fail-on never exits 0; --rule turns rules into warnings that fail only under --fail-on warning', async () => {
    expect((await runCli(['check', '--fail-on', 'never'], project.dir, { env })).exitCode).toBe(0);
    const asWarnings = RULES.flatMap((rule) => ['--rule', `${rule.id}=warning`]);
    expect((await runCli(['check', ...asWarnings], project.dir, { env })).exitCode).toBe(0);
    expect((await runCli(['check', ...asWarnings, '--fail-on', 'warning'], project.dir, { env })).exitCode).toBe(1);
  });

  it('--update-baseline then --baseline: exit 0, nothing new reported', async () => {
    const baseline = join(outDir, 'baseline.json');
    const w = await runCli(['check', '--baseline', baseline, '--update-baseline'], project.dir, { env });
    expect(w.exitCode, w.stderr).toBe(0);
    expect(existsSync(baseline)).toBe(true);
    const r = await runCli(['check', '--baseline', baseline], project.dir, { env });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stderr).toContain('14 findings recorded in the baseline not reported.');
  });

  it('exit 2 for bad input, with a clear message and nothing written', async () => {
    const before = snapshotTree(project.dir);
    const cases: [string[], RegExp][] = [
      [['check', '--rule', 'leak.nope=off'], /unknown rule "leak\.nope"\. Known rules: cancel\.propagate, /],
      [['check', '--rule', 'leak.timers=loud'], /expected leak\.timers=off, leak\.timers=warning or leak\.timers=error/],
      [['check', '--format', 'xml'], /Allowed choices are pretty, json, sarif, github, junit/],
      [['check', '--output-file', 'missing/dir/out.sarif'], /--output-file missing\/dir\/out\.sarif: folder .* does not exist/],
      [['check', 'src/nope.ts'], /Path src\/nope\.ts does not exist/],
      [['check', '--changed-since', 'no-such-ref'], /--changed-since no-such-ref: git merge-base failed/],
      [['check', '--baseline', 'missing.json'], /Baseline missing\.json does not exist/],
      [['check', '--project', 'nope.json'], /--project nope\.json: .* does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, project.dir, { env });
      expect(r.exitCode, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr.replace(/\s+/g, ' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(snapshotTree(project.dir)).toEqual(before);
  });
});
