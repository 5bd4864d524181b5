// `npm run bench:cli`: median wall time of cold CLI runs (a fresh Node process each), printed as a table and JSON.
//   list --json          target <= 0.2 s  (must not load ts-morph, prettier or execa)
//   add worker-pool      target <= 1 s    (fresh temp project each run; loads ts-morph and prettier)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repo, 'dist', 'cli', 'main.js');
const runs = Number(process.env.CK_BENCH_RUNS ?? 7);

function project() {
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-cli-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'b', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'] } }));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function time(args, cwd) {
  const start = performance.now();
  execFileSync(process.execPath, [cli, ...args], { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  return (performance.now() - start) / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const scenarios = [
  { name: 'list --json', target: 0.2, run: () => time(['list', '--json'], repo) },
  { name: '--help', target: 0.2, run: () => time(['--help'], repo) },
  {
    name: 'add worker-pool --yes',
    target: 1,
    run: () => {
      const dir = project();
      try {
        return time(['add', 'worker-pool', '--yes'], dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

const results = scenarios.map((s) => {
  s.run(); // warm the OS file cache; every timed run is still a cold Node process
  const samples = Array.from({ length: runs }, () => s.run());
  const m = median(samples);
  return { command: s.name, medianSeconds: Number(m.toFixed(3)), minSeconds: Number(Math.min(...samples).toFixed(3)), targetSeconds: s.target, met: m <= s.target };
});
console.table(results.map((r) => ({ command: r.command, 'median s': r.medianSeconds, 'min s': r.minSeconds, 'target s': `<= ${r.targetSeconds}`, met: r.met ? 'yes' : 'NO' })));
console.log(JSON.stringify({ node: process.version, runs, results }, null, 2));
