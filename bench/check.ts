/**
 * `npm run bench:check [-- <path> [--project <tsconfig>]]`: how long `concurrency-kit check` takes against the
 * project's own `tsc --noEmit` on the same code base, as a ratio inside one run. Target: check <= 1.5x tsc.
 *
 * The code base defaults to this repository (real TypeScript, available offline in CI). Both sides are cold runs (a
 * fresh Node process each), alternated, 3 rounds each; the medians of wall and CPU seconds (user + system of the child,
 * Linux only) are compared. `tsc` is the project's own (`node_modules/typescript`), else the kit's; it runs once per
 * tsconfig that `check` builds a program for (a solution-style tsconfig's references), so both read the same files.
 * When the project's `tsc` is TypeScript 7 or later, a third side runs: bench/ts7-probe.mjs, the floor of a `check` built
 * on TypeScript 7's own API (load, walk, type every call statement); `check` itself reads code with the TypeScript 6
 * inside ts-morph. Its CPU is not measured (the native server it starts is not a waited-for child), only its wall time.
 * Prints a table and a JSON document (also written to bench/results/check.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkInputs } from '../src/check/files.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const cli = join(repo, 'dist', 'cli', 'main.js');
const ROUNDS = 3;
const TARGET = 1.5;

const args = process.argv.slice(2);
const projectFlag = args.indexOf('--project');
const project = projectFlag === -1 ? undefined : args[projectFlag + 1];
if (projectFlag !== -1 && project === undefined) throw new Error('--project needs a tsconfig path');
const positional = projectFlag === -1 ? args : args.filter((_, i) => i !== projectFlag && i !== projectFlag + 1);
if (positional.length > 1) throw new Error(`expected at most one code base path, got ${positional.join(' ')}`);
const target = resolve(positional[0] ?? repo);
if (!existsSync(target)) throw new Error(`no such code base: ${target}`);
if (!existsSync(cli)) throw new Error(`missing ${cli}: run npm run build first`);

const inputs = checkInputs(target, target, project);
const configs = inputs.map((p) => p.configPath);
// An incremental or composite project's `tsc --noEmit` reuses the build info an earlier build left (hono's
// dist/*.tsbuildinfo), skipping the check it is compared against: point it at a fresh file each run.
const buildInfoDir = mkdtempSync(join(tmpdir(), 'bench-check-'));
let buildInfoRuns = 0;
const freshBuildInfo = (i: number): string[] =>
  inputs[i]?.options.incremental === true || inputs[i]?.options.composite === true ? ['--tsBuildInfoFile', join(buildInfoDir, `${String(buildInfoRuns++)}.tsbuildinfo`)] : [];
const ownTsc = join(target, 'node_modules', 'typescript', 'bin', 'tsc');
const tsc = existsSync(ownTsc) ? ownTsc : join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const tscVersion = (JSON.parse(readFileSync(join(dirname(tsc), '..', 'package.json'), 'utf8')) as { version: string }).version;

/** CPU seconds (user + system) of this process's finished children, from /proc (Linux); null elsewhere. */
function childrenCpu(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

interface Sample {
  readonly wall: number;
  readonly cpu: number | null;
}

/** One cold run; a non-zero exit is expected (findings, type errors) and not an error of the bench. */
function run(argv: readonly string[]): Sample {
  const cpuBefore = childrenCpu();
  const start = performance.now();
  try {
    execFileSync(process.execPath, argv, { cwd: target, stdio: 'ignore', env: { ...process.env, CI: 'true', GITHUB_ACTIONS: '' } });
  } catch (error) {
    if (typeof (error as { status?: unknown }).status !== 'number') throw error;
  }
  const wall = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpu();
  return { wall, cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

const tscMajor = Number(tscVersion.split('.')[0]);
const probe = join(here, 'ts7-probe.mjs');
const checkArgv = [cli, 'check', '--format', 'json', '--fail-on', 'never', '--cwd', target, ...(project === undefined ? [] : ['--project', project])];
/** The project's own type-check: `tsc --noEmit -p` for each tsconfig `check` builds a program for. */
function runTsc(): Sample {
  const samples = configs.map((config, i) => run([tsc, '--noEmit', '-p', config, ...freshBuildInfo(i)]));
  const cpu = samples.every((s) => s.cpu !== null) ? samples.reduce((sum, s) => sum + (s.cpu ?? 0), 0) : null;
  return { wall: samples.reduce((sum, s) => sum + s.wall, 0), cpu };
}

/** TypeScript 7's API probe over each tsconfig `check` builds a program for; wall time only. */
function runProbe(): Sample {
  return { wall: configs.reduce((sum, config) => sum + run([probe, target, config]).wall, 0), cpu: null };
}

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const loadAtStart = loadavg()[0]!;
process.stderr.write(`check vs tsc ${tscVersion} on ${target} (${configs.length} tsconfig(s)), ${ROUNDS} rounds, load ${loadAtStart.toFixed(2)}\n`);
const checkSamples: Sample[] = [];
const tscSamples: Sample[] = [];
const probeSamples: Sample[] = [];
const sides = tscMajor >= 7 ? (['check', 'tsc', 'probe'] as const) : (['check', 'tsc'] as const);
for (let round = 0; round < ROUNDS; round++) {
  // Rotate which side goes first, so a warm disk cache favours none.
  const order = sides.map((_, i) => sides[(i + round) % sides.length]!);
  for (const side of order) {
    const sample = side === 'check' ? run(checkArgv) : side === 'tsc' ? runTsc() : runProbe();
    (side === 'check' ? checkSamples : side === 'tsc' ? tscSamples : probeSamples).push(sample);
    process.stderr.write(`  round ${round + 1} ${side}: ${sample.wall.toFixed(2)} s wall${sample.cpu === null ? '' : `, ${sample.cpu.toFixed(2)} s CPU`}\n`);
  }
}

const summarize = (samples: readonly Sample[]) => ({
  wallSeconds: median(samples.map((s) => s.wall)),
  cpuSeconds: samples.every((s) => s.cpu !== null) ? median(samples.map((s) => s.cpu ?? 0)) : null,
});
const checkMedian = summarize(checkSamples);
const tscMedian = summarize(tscSamples);
const wallRatio = checkMedian.wallSeconds / tscMedian.wallSeconds;
const cpuRatio = checkMedian.cpuSeconds === null || tscMedian.cpuSeconds === null ? null : checkMedian.cpuSeconds / tscMedian.cpuSeconds;

const probeMedian = probeSamples.length === 0 ? null : summarize(probeSamples);
// One more probe run, for its phases (load, AST walk, types, round trip) on the first tsconfig.
const probePhases =
  probeMedian === null ? null : (JSON.parse(execFileSync(process.execPath, [probe, target, configs[0]!], { cwd: target, encoding: 'utf8' })) as Record<string, unknown>);

const fmt = (x: number | null, unit: string): string => (x === null ? '-' : `${x.toFixed(2)}${unit}`);
console.table([
  { measure: 'wall (median)', check: fmt(checkMedian.wallSeconds, ' s'), tsc: fmt(tscMedian.wallSeconds, ' s'), ratio: fmt(wallRatio, 'x'), target: `<= ${TARGET}x`, met: wallRatio <= TARGET ? 'yes' : 'NO' },
  { measure: 'CPU (median)', check: fmt(checkMedian.cpuSeconds, ' s'), tsc: fmt(tscMedian.cpuSeconds, ' s'), ratio: fmt(cpuRatio, 'x'), target: `<= ${TARGET}x`, met: cpuRatio === null ? '-' : cpuRatio <= TARGET ? 'yes' : 'NO' },
  ...(probeMedian === null
    ? []
    : [{ measure: 'wall (median), TypeScript 7 API probe', check: fmt(probeMedian.wallSeconds, ' s'), tsc: fmt(tscMedian.wallSeconds, ' s'), ratio: fmt(probeMedian.wallSeconds / tscMedian.wallSeconds, 'x'), target: 'floor, not check', met: '-' }]),
]);
const json = {
  node: process.version,
  cpus: cpus().length,
  // 1-minute load averages at the start and the end: on a shared machine, wall times are only comparable at like load.
  loadAverage: { start: loadAtStart, end: loadavg()[0] },
  codeBase: target,
  tsconfigs: configs.map((c) => relative(target, c)),
  tsc: { version: tscVersion, own: tsc === ownTsc },
  rounds: ROUNDS,
  check: { ...checkMedian, samples: checkSamples },
  tscNoEmit: { ...tscMedian, samples: tscSamples },
  ts7ApiProbe: probeMedian === null ? null : { ...probeMedian, ratioToTsc: probeMedian.wallSeconds / tscMedian.wallSeconds, phases: probePhases, samples: probeSamples },
  ratio: { wall: wallRatio, cpu: cpuRatio, target: TARGET, met: wallRatio <= TARGET && (cpuRatio === null || cpuRatio <= TARGET) },
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'check.json'), `${JSON.stringify(json, null, 2)}\n`);
console.log(JSON.stringify(json, null, 2));
rmSync(buildInfoDir, { recursive: true, force: true });
