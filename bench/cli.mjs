// `npm run bench:cli`: median wall time of cold CLI runs (a fresh Node process each), printed as a table and JSON.
//   list --json                      target <= 0.5 s  (loads no compiler, prettier or execa)
//   add worker-pool, per compiler    a fresh temp project each run, checked by that project's own TypeScript:
//     TypeScript 7.0 (native tsc)    target <= 1.5 s
//     TypeScript 5.9 / 6.0 (API)     target <= 3 s
//     the kit's (project has none)   reported
// Wall time depends on what else the machine runs; the CPU seconds (Node plus any tsc it starts, Linux only) do much
// less, so both are reported. The load average at the start is printed with them.
// Each TypeScript is installed from npm once, into the same cache the e2e tests use (test/helpers/toolbox.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'dist', 'cli', 'main.js');
const runs = Number(process.env.CK_BENCH_RUNS ?? 7);

/** Same cache key and layout as test/helpers/toolbox.ts, so benches and e2e tests share installs. */
function toolbox(deps) {
  const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const key = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `concurrency-kit-toolbox-${key}`);
  if (existsSync(join(dir, 'node_modules', '.toolbox-complete'))) return dir;
  const staging = `${dir}.tmp-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: 'toolbox', private: true, devDependencies: sorted }, null, 2)}\n`);
  try {
    console.error(`installing ${Object.entries(sorted).map(([n, v]) => `${n}@${v}`).join(' ')} (once) ...`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, stdio: 'inherit' });
    writeFileSync(join(staging, 'node_modules', '.toolbox-complete'), '');
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

const deps = (typescript) => ({ ...(typescript ? { typescript } : {}), '@types/node': '^20.19.0', vitest: '~4.1.12' });

function project(spec) {
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-cli-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'b', private: true, type: 'module', devDependencies: spec.deps }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }));
  symlinkSync(join(spec.box, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** CPU seconds (user + system) of this process's finished children, from /proc (Linux); null elsewhere. */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

const cpuSamples = new Map();
let current = '';
/** Wall seconds of one cold run; its CPU seconds (Node and any tsc it starts) are recorded too. */
function time(args, cwd) {
  const cpuBefore = childrenCpu();
  const start = performance.now();
  execFileSync(process.execPath, [cli, ...args], { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpu();
  if (cpuBefore !== null && cpuAfter !== null) cpuSamples.set(current, [...(cpuSamples.get(current) ?? []), cpuAfter - cpuBefore]);
  return wall;
}

function addScenario(name, typescript, target) {
  const spec = { deps: deps(typescript) };
  return {
    name,
    target,
    setup: () => {
      spec.box = toolbox(spec.deps);
    },
    run: () => {
      const dir = project(spec);
      try {
        return time(['add', 'worker-pool', '--yes'], dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const scenarios = [
  { name: 'list --json', target: 0.5, run: () => time(['list', '--json'], repo) },
  { name: '--help', target: 0.5, run: () => time(['--help'], repo) },
  addScenario('add worker-pool (TypeScript 7.0, tsc)', '7.0.2', 1.5),
  addScenario('add worker-pool (TypeScript 6.0, API)', '6.0.3', 3),
  addScenario('add worker-pool (TypeScript 5.9, API)', '5.9.3', 3),
  addScenario("add worker-pool (no TypeScript: the kit's)", undefined, null),
];

const results = scenarios.map((s) => {
  s.setup?.();
  current = '';
  s.run(); // warm the OS file cache; every timed run is still a cold Node process
  current = s.name;
  const samples = Array.from({ length: runs }, () => s.run());
  const m = median(samples);
  const cpu = cpuSamples.get(s.name);
  return {
    command: s.name,
    medianSeconds: Number(m.toFixed(3)),
    medianCpuSeconds: cpu ? Number(median(cpu).toFixed(3)) : null,
    minSeconds: Number(Math.min(...samples).toFixed(3)),
    targetSeconds: s.target,
    met: s.target === null ? null : m <= s.target,
  };
});
console.table(
  results.map((r) => ({
    command: r.command,
    'median s': r.medianSeconds,
    'min s': r.minSeconds,
    'cpu s': r.medianCpuSeconds ?? '-',
    'target s': r.targetSeconds === null ? '-' : `<= ${r.targetSeconds}`,
    met: r.met === null ? '-' : r.met ? 'yes' : 'NO',
  })),
);
console.log(JSON.stringify({ node: process.version, runs, loadAverage: loadavg().map((l) => Number(l.toFixed(2))), results }, null, 2));
