// `npm run demo`: creates a fresh sample TypeScript project in a temp directory, adds every available pattern
// with --yes through the built CLI, type-checks the project with its own tsc, then runs `verify --bench` and prints the
// report: per module its tests, the leak check, the benchmark against its budget and the specialist checklist.
// The benchmark judges the latency each module adds over a no-op request driven in the same load, so a machine busy
// with other work does not fail it; the report shows both p99s and the machine's load average.
// The sample project links this repository's node_modules (typescript, vitest, tsx, @types/node), so it runs offline.
// Exit code: verify's (0 when every module is proved: tests, no leaks, budgets met, no checklist item failed). Set CK_DEMO_KEEP=0 to delete the sample afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'concurrency-kit-demo-'));
const step = (message) => process.stderr.write(`\n> ${message}\n`);

// It declares what the generated files need, as a real project would: add writes tests only when vitest is declared.
const kitPackage = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const devDependencies = Object.fromEntries(['typescript', 'vitest', 'tsx', '@types/node'].map((name) => [name, kitPackage.dependencies?.[name] ?? kitPackage.devDependencies?.[name]]));
writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'concurrency-kit-demo', version: '1.0.0', private: true, type: 'module', devDependencies }, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsconfig.json'),
  `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        verbatimModuleSyntax: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['src'],
    },
    null,
    2,
  )}\n`,
);
mkdirSync(join(dir, 'src'));
symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
step(`sample project: ${dir}`);
process.stderr.write(`machine: load average ${loadavg()[0].toFixed(2)} (1 min) on ${availableParallelism()} cores\n`);

const patterns = JSON.parse(execFileSync(process.execPath, [cli, 'list', '--json'], { encoding: 'utf8' })).map((p) => p.id);
for (const id of patterns) {
  step(`npx concurrency-kit add ${id} --yes`);
  const add = spawnSync(process.execPath, [cli, 'add', id, '--yes'], { cwd: dir, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  if (add.status !== 0) process.exit(add.status ?? 3);
}

step('npx tsc --noEmit (the sample project type-checks the generated code)');
const tsc = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);
process.stderr.write('tsc: no errors\n');

step('npx concurrency-kit verify --bench (tests under the leak check, benchmark against budget, checklist)');
const verify = spawnSync(process.execPath, [cli, 'verify', '--bench'], { cwd: dir, stdio: 'inherit' });
if (process.env.CK_DEMO_KEEP === '0') rmSync(dir, { recursive: true, force: true });
else process.stderr.write(`\nThe sample project is kept at ${dir} (CK_DEMO_KEEP=0 removes it).\n`);
process.exit(verify.status ?? 3);
