// The skill's evals (skills/concurrency-kit/evals/evals.json), after shadcn's evals.json:
//   node scripts/evals.mjs check                         every grader fails on its fixture and passes on its reference
//   node scripts/evals.mjs prepare <task> <dir> [--with-skill]
//                                                        a project for an agent to work in: the fixture, package.json,
//                                                        tsconfig, the prompt in TASK.md; --with-skill also runs
//                                                        `concurrency-kit agents install --target all` there
//   node scripts/evals.mjs grade <task> <dir>            runs the task's grader against the agent's result (exit 0 = solved)
// `check` runs every grader in one vitest run (the kit's own vitest), so it is fast enough for `npm test`.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const evalsDir = join(repo, 'skills', 'concurrency-kit', 'evals');
const spec = JSON.parse(readFileSync(join(evalsDir, 'evals.json'), 'utf8'));
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');

function taskOf(id) {
  const task = spec.tasks.find((t) => t.id === id);
  if (!task) {
    console.error(`unknown task "${id}"; tasks: ${spec.tasks.map((t) => t.id).join(', ')}`);
    process.exit(2);
  }
  return task;
}

/** Writes a project for `task` into `dir` from `variant` ('fixture' or 'reference'), with the grader when asked. */
function materialise(task, variant, dir, { grader }) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(evalsDir, task[variant]), dir, { recursive: true });
  if (grader) cpSync(join(evalsDir, task.grader), join(dir, 'grader.test.ts'));
}

const projectFiles = {
  'package.json': `${JSON.stringify({ name: 'eval-task', private: true, type: 'module', scripts: { test: 'vitest run' }, devDependencies: { typescript: '~5.9.3', vitest: '~4.1.12', '@types/node': '^20.19.0' } }, null, 2)}\n`,
  'tsconfig.json': `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: ['node'], skipLibCheck: true, noEmit: true }, include: ['src'] }, null, 2)}\n`,
};

function vitestJson(root, files) {
  const out = join(root, 'results.json');
  const r = spawnSync(process.execPath, [vitest, 'run', '--root', root, '--reporter=json', `--outputFile=${out}`, ...files], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    timeout: 300_000,
  });
  if (!existsSync(out)) {
    console.error(r.stdout, r.stderr);
    throw new Error('vitest wrote no results');
  }
  return JSON.parse(readFileSync(out, 'utf8'));
}

function check() {
  const root = mkdtempSync(join(tmpdir(), 'ck-evals-'));
  try {
    writeFileSync(join(root, 'package.json'), projectFiles['package.json']);
    writeFileSync(join(root, 'vitest.config.mjs'), "export default { test: { include: ['**/grader.test.ts'], testTimeout: 30000 } };\n");
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    for (const task of spec.tasks) {
      materialise(task, 'fixture', join(root, task.id, 'start'), { grader: true });
      materialise(task, 'reference', join(root, task.id, 'reference'), { grader: true });
    }
    const json = vitestJson(root, []);
    const byFile = new Map(json.testResults.map((f) => [resolve(f.name), f.assertionResults]));
    const problems = [];
    const rows = [];
    for (const task of spec.tasks) {
      const start = byFile.get(resolve(root, task.id, 'start', 'grader.test.ts')) ?? [];
      const reference = byFile.get(resolve(root, task.id, 'reference', 'grader.test.ts')) ?? [];
      const failedOnStart = start.filter((a) => a.status === 'failed').length;
      const passedOnReference = reference.filter((a) => a.status === 'passed').length;
      if (start.length === 0 || failedOnStart === 0) problems.push(`${task.id}: the grader passes on the starting fixture (it would grade an untouched project as solved)`);
      if (reference.length === 0 || passedOnReference !== reference.length) {
        const why = reference.filter((a) => a.status !== 'passed').map((a) => `${a.title}: ${a.failureMessages.join(' ').split('\n')[0]}`);
        problems.push(`${task.id}: the grader fails on the reference solution${why.length > 0 ? `: ${why.join('; ')}` : ' (no test ran)'}`);
      }
      rows.push(`${task.id.padEnd(22)} fixture: ${failedOnStart}/${start.length} tests fail   reference: ${passedOnReference}/${reference.length} pass`);
    }
    console.log(rows.join('\n'));
    if (problems.length > 0) {
      console.error(`\n${problems.join('\n')}`);
      process.exit(1);
    }
    console.log(`\nevals: ${spec.tasks.length} tasks, every grader fails on its fixture and passes on its reference`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function prepare(id, dir, withSkill) {
  const task = taskOf(id);
  const target = resolve(dir);
  if (existsSync(target)) {
    console.error(`${target} exists; give a new folder`);
    process.exit(2);
  }
  materialise(task, 'fixture', target, { grader: false });
  for (const [name, text] of Object.entries(projectFiles)) writeFileSync(join(target, name), text);
  writeFileSync(join(target, 'TASK.md'), `# ${task.id}\n\n${task.prompt}\n`);
  if (withSkill) {
    const r = spawnSync(process.execPath, [join(repo, 'dist', 'cli', 'main.js'), 'agents', 'install', '--target', 'all', '--yes'], { cwd: target, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  console.log(`prepared ${target}${withSkill ? ' with the skill installed' : ''}; run npm install there, then give your agent the prompt in TASK.md`);
}

function grade(id, dir) {
  const task = taskOf(id);
  const target = resolve(dir);
  cpSync(join(evalsDir, task.grader), join(target, 'concurrency-kit-grader.test.ts'));
  const r = spawnSync(process.execPath, [vitest, 'run', 'concurrency-kit-grader.test.ts'], { cwd: target, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
  rmSync(join(target, 'concurrency-kit-grader.test.ts'), { force: true });
  console.log(r.status === 0 ? `${id}: solved` : `${id}: not solved`);
  process.exit(r.status === 0 ? 0 : 1);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'check') check();
else if (command === 'prepare' && rest.length >= 2) prepare(rest[0], rest[1], rest.includes('--with-skill'));
else if (command === 'grade' && rest.length >= 2) grade(rest[0], rest[1]);
else {
  console.error('usage: node scripts/evals.mjs check | prepare <task> <dir> [--with-skill] | grade <task> <dir>');
  process.exit(2);
}
