import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgents, parseAgent, resolveReferences, type AgentDefinition } from '../../src/checklist/agent.js';
import { evaluateChecklist, testIdOf, type ChecklistEvidence, type TestCase } from '../../src/checklist/evaluate.js';
import { BENCH_METRIC_BY_ITEM, checkProofsAgainst, LEAK_KINDS_BY_ITEM, type ChecklistProofs } from '../../src/checklist/proofs.js';
import { AgentFormatError } from '../../src/errors.js';
import { listPatterns, PACKAGE_ROOT, TEMPLATES_DIR } from '../../src/patterns/registry.js';

const AGENTS_DIR = join(PACKAGE_ROOT, 'agents');

const header = ['---', 'name: demo', 'description: A demo agent.', 'tools: Read, Bash', '---', '', '# demo', ''];
function agent(lines: readonly string[], head: readonly string[] = header): string {
  return [...head, ...lines].join('\n');
}
function formatError(source: string, file = 'agents/demo.md'): AgentFormatError {
  try {
    parseAgent(file, source);
  } catch (error) {
    expect(error).toBeInstanceOf(AgentFormatError);
    return error as AgentFormatError;
  }
  throw new Error('expected an AgentFormatError');
}

describe('agent definitions', () => {
  it('parses frontmatter, sections, items and continuation lines, ignoring fenced code', () => {
    const parsed = parseAgent(
      'agents/demo.md',
      agent([
        '## Checklist',
        '',
        'Intro prose is allowed.',
        '',
        '### Leaks',
        '',
        '- [ ] `leak.timers` — No timer outlives',
        '  its owner.',
        '- [x] `leak.listeners` - Listeners are removed.',
        '',
        '```md',
        '- not an item',
        '```',
        '### Perf',
        '* [ ] `perf.p99` — p99 under budget.',
        '',
        '## After',
        '- anything goes here',
      ]),
    );
    expect(parsed).toMatchObject({ name: 'demo', description: 'A demo agent.', tools: ['Read', 'Bash'] });
    expect(parsed.checklist).toEqual([
      { id: 'leak.timers', text: 'No timer outlives its owner.', section: 'Leaks', line: 15 },
      { id: 'leak.listeners', text: 'Listeners are removed.', section: 'Leaks', line: 17 },
      { id: 'perf.p99', text: 'p99 under budget.', section: 'Perf', line: 23 },
    ]);
  });

  it('accepts tools as a YAML list', () => {
    const head = ['---', 'name: demo', 'description: d', 'tools:', '  - Read', '  - Grep', '---'];
    expect(parseAgent('demo.md', agent(['## Checklist', '- [ ] `a.b` — t'], head)).tools).toEqual(['Read', 'Grep']);
  });

  it.each([
    ['no frontmatter', ['# demo', '## Checklist', '- [ ] `a.b` — t'].join('\n'), 1, /starts with YAML frontmatter/],
    ['unclosed frontmatter', ['---', 'name: demo', '## Checklist'].join('\n'), 1, /never closed/],
    ['invalid YAML', ['---', 'name: demo', 'description: [unclosed', '---', '## Checklist', '- [ ] `a.b` — t'].join('\n'), 3, /invalid YAML/],
    ['name missing', agent(['## Checklist', '- [ ] `a.b` — t'], ['---', 'description: d', 'tools: Read', '---']), 1, /"name" must be a kebab-case/],
    ['name differs from the file', agent(['## Checklist', '- [ ] `a.b` — t'], ['---', 'name: other', 'description: d', 'tools: Read', '---']), 2, /must equal the file name "demo"/],
    ['empty description', agent(['## Checklist', '- [ ] `a.b` — t'], ['---', 'name: demo', "description: ''", 'tools: Read', '---']), 3, /"description" must be a non-empty string/],
    ['no tools', agent(['## Checklist', '- [ ] `a.b` — t'], ['---', 'name: demo', 'description: d', '---']), 1, /"tools" must list at least one tool/],
    ['no checklist section', agent(['## Purpose', 'text']), 10, /no "## Checklist" section/],
    ['two checklist sections', agent(['## Checklist', '- [ ] `a.b` — t', '## Checklist', '- [ ] `a.c` — t']), 11, /a second "## Checklist"/],
    ['an item without an id', agent(['## Checklist', '', '- [ ] No timer outlives its owner.']), 11, /must read "- \[ \] `area.name` — requirement"/],
    ['an item without a checkbox', agent(['## Checklist', '- `a.b` — t']), 10, /must read/],
    ['an id with one part', agent(['## Checklist', '- [ ] `timers` — t']), 10, /checklist id "timers" must be dotted kebab-case/],
    ['an id in capitals', agent(['## Checklist', '- [ ] `Leak.Timers` — t']), 10, /must be dotted kebab-case/],
    ['a duplicate id', agent(['## Checklist', '- [ ] `a.b` — t', '', '- [ ] `a.b` — u']), 12, /"a.b" is already used on line 10/],
    ['an empty section', agent(['## Checklist', '', 'nothing yet', '## Next']), 9, /has no items/],
  ])('rejects %s, naming the file and line', (_what, source, line, message) => {
    const error = formatError(source);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`agents/demo.md:${line}: `)).toBe(true);
    expect(error.code).toBe('ERR_AGENT_FORMAT');
  });

  it('ships a concurrency-specialist whose checklist has the promised areas and stable ids', () => {
    const agents = loadAgents(AGENTS_DIR);
    const specialist = agents.find((a) => a.name === 'concurrency-specialist');
    expect(specialist).toBeDefined();
    const ids = specialist!.checklist.map((i) => i.id);
    for (const id of ['cancel.abort-signal', 'leak.timers', 'leak.listeners', 'leak.promises', 'bound.queue', 'bound.concurrency', 'errors.propagate', 'lock.release', 'close.drain', 'close.deadline', 'perf.p99']) {
      expect(ids).toContain(id);
    }
    // Every item the leak check or the benchmark can prove exists in the agent, so no proof silently points nowhere.
    for (const id of [...Object.keys(LEAK_KINDS_BY_ITEM), ...Object.keys(BENCH_METRIC_BY_ITEM)]) expect(ids).toContain(id);
  });

  it('ships the reviewer and the service specialist; shared items are defined once and referenced, and read whole', () => {
    const agents = loadAgents(AGENTS_DIR);
    expect(agents.map((a) => a.name)).toEqual(['concurrency-reviewer', 'concurrency-specialist', 'service-concurrency-specialist']);
    const definitions = new Map<string, string>();
    for (const a of agents) {
      for (const item of a.checklist) {
        expect(item.text, `${a.name} ${item.id}`).not.toBe('');
        if (item.definedIn === undefined) {
          expect(definitions.get(item.id), `${item.id} is defined twice`).toBeUndefined();
          definitions.set(item.id, a.name);
        }
      }
    }
    const service = agents.find((a) => a.name === 'service-concurrency-specialist')!;
    for (const id of ['service.shutdown', 'service.results', 'service.keyed-create', 'service.memory', 'close.deadline', 'leak.memory']) expect(service.checklist.map((i) => i.id)).toContain(id);
    const reviewer = agents.find((a) => a.name === 'concurrency-reviewer')!;
    expect(reviewer.checklist.find((i) => i.id === 'leak.timers')).toMatchObject({ definedIn: 'concurrency-specialist', text: 'No timer, interval or immediate outlives its owner.' });
  });

  it('refuses a reference to a missing agent or item, a self-reference, and a second definition', () => {
    const one = (name: string, items: readonly string[]): AgentDefinition =>
      parseAgent(`agents/${name}.md`, agent(['## Checklist', ...items], header.map((l) => l.replace('name: demo', `name: ${name}`))));
    const owner = one('owner', ['- [ ] `a.b` — defined here']);
    expect(resolveReferences([owner, one('user', ['- [ ] `a.b` → owner'])])[1]?.checklist[0]?.text).toBe('defined here');
    expect(() => resolveReferences([owner, one('user', ['- [ ] `a.c` → owner'])])).toThrow(/agents\/user\.md:\d+: checklist item "a\.c" references owner, which does not define it/);
    expect(() => resolveReferences([owner, one('user', ['- [ ] `a.b` → nobody'])])).toThrow(/references nobody, which is not an agent here/);
    expect(() => resolveReferences([owner, one('user', ['- [ ] `a.b` — defined again'])])).toThrow(/"a\.b" is already defined in owner; reference it instead/);
    expect(formatError(agent(['## Checklist', '- [ ] `a.b` → demo'])).message).toMatch(/references its own agent/);
  });

  it('names every registered pattern with its add command, and no other', () => {
    const text = readFileSync(join(AGENTS_DIR, 'concurrency-specialist.md'), 'utf8');
    const named = [...text.matchAll(/npx concurrency-kit add ([a-z0-9-]+)/g)].map((m) => m[1]);
    expect([...new Set(named)].sort()).toEqual(listPatterns().map((p) => p.id));
  });
});

describe('pattern proofs', () => {
  const agents = new Map(loadAgents(AGENTS_DIR).map((a) => [a.name, a]));

  it.each(listPatterns().map((m) => [m.id, m] as const))('%s declares proofs only for items of its agent, by tests that exist', (id, manifest) => {
    const owner = agents.get(manifest.checklist.agent);
    expect(owner, `agents/${manifest.checklist.agent}.md`).toBeDefined();
    expect(checkProofsAgainst(manifest.checklist, owner!.checklist.map((i) => i.id))).toEqual([]);
    const testSource = readFileSync(join(TEMPLATES_DIR, id, 'test.ts.hbs'), 'utf8');
    const testIds = new Set([...testSource.matchAll(/\b(?:it|test)(?:\.[a-zA-Z]+(?:\([^)]*\))?)*\(\s*'([^']+)'/g)].map((m) => testIdOf(m[1]!)));
    const referenced = Object.values(manifest.checklist.proofs).flatMap((p) => p.tests);
    expect(referenced.filter((t) => !testIds.has(t))).toEqual([]);
    // Every pattern is held to the leak check and the performance budget.
    for (const item of ['leak.promises', 'leak.timers', 'leak.listeners', 'errors.unhandled']) expect(manifest.checklist.proofs[item]?.leaks).toBe(true);
    for (const item of ['perf.throughput', 'perf.p99']) expect(manifest.checklist.proofs[item]?.bench).toBe(true);
  });

  it('reports proofs for items the agent does not have', () => {
    const declaration: ChecklistProofs = { agent: 'demo', proofs: { 'a.b': { tests: ['x'], leaks: false, bench: false }, 'zz.top': { tests: ['x'], leaks: false, bench: false } } };
    expect(checkProofsAgainst(declaration, ['a.b'])).toEqual(['checklist.proofs names "zz.top", which is not an item of agents/demo.md']);
  });
});

describe('evaluateChecklist', () => {
  const checklist: AgentDefinition['checklist'] = [
    { id: 'cancel.queued', text: 'Queued work leaves.', section: '', line: 1 },
    { id: 'leak.timers', text: 'No timer outlives.', section: '', line: 2 },
    { id: 'perf.p99', text: 'p99 under budget.', section: '', line: 3 },
    { id: 'sync.event-loop', text: 'Nothing blocks.', section: '', line: 4 },
  ];
  const declaration: ChecklistProofs = {
    agent: 'concurrency-specialist',
    proofs: {
      'cancel.queued': { tests: ['cancel.queued', 'cancel.waiting'], leaks: false, bench: false },
      'leak.timers': { tests: ['leak.timers'], leaks: true, bench: false },
      'perf.p99': { tests: [], leaks: false, bench: true },
    },
  };
  const passed = (title: string): TestCase => ({ id: testIdOf(title), title, status: 'passed' });
  const allPassing = [passed('cancel.queued: a'), passed('cancel.queued: b'), passed('cancel.waiting: c'), passed('leak.timers: d')];
  const evidence = (over: Partial<ChecklistEvidence> = {}): ChecklistEvidence => ({
    testFile: 'src/concurrency/worker-pool.test.ts',
    tests: { state: 'ran', cases: allPassing },
    leaks: { state: 'ran', kinds: [] },
    bench: { state: 'ran', metrics: { throughput: { ok: true, detail: 't' }, p99: { ok: true, detail: 'p99 1.1 ms < 5 ms' }, heap: { ok: true, detail: 'h' } } },
    ...over,
  });
  const statuses = (e: ChecklistEvidence): Record<string, string> =>
    Object.fromEntries(evaluateChecklist(checklist, declaration, e).map((r) => [r.id, r.status]));

  it('passes items whose every proof passed, and leaves undeclared items manual', () => {
    const results = evaluateChecklist(checklist, declaration, evidence());
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['cancel.queued', 'pass'],
      ['leak.timers', 'pass'],
      ['perf.p99', 'pass'],
      ['sync.event-loop', 'manual'],
    ]);
    expect(results[0]).toEqual({ id: 'cancel.queued', text: 'Queued work leaves.', status: 'pass', provedBy: 'tests cancel.queued, cancel.waiting passed' });
    expect(results[1]!.provedBy).toBe('test leak.timers passed; leak check found no timer/immediate leaks');
    expect(results[2]!.provedBy).toBe('benchmark: p99 1.1 ms < 5 ms');
    expect(results[3]!.provedBy).toMatch(/review by hand/);
  });

  it('fails an item whose test is missing, failed or only skipped', () => {
    const without = evidence({ tests: { state: 'ran', cases: allPassing.filter((c) => c.id !== 'cancel.waiting') } });
    expect(statuses(without)['cancel.queued']).toBe('fail');
    expect(evaluateChecklist(checklist, declaration, without)[0]!.provedBy).toBe('test cancel.waiting not found in src/concurrency/worker-pool.test.ts');
    const failed = evidence({ tests: { state: 'ran', cases: [...allPassing, { id: 'cancel.queued', title: 'cancel.queued: e', status: 'failed' }] } });
    expect(statuses(failed)['cancel.queued']).toBe('fail');
    const skipped = evidence({ tests: { state: 'ran', cases: allPassing.map((c) => (c.id === 'leak.timers' ? { ...c, status: 'skipped' as const } : c)) } });
    expect(statuses(skipped)['leak.timers']).toBe('fail');
    const broken = evidence({ tests: { state: 'error', message: 'vitest crashed' } });
    expect(statuses(broken)).toMatchObject({ 'cancel.queued': 'fail', 'leak.timers': 'fail' });
  });

  it('fails leak items on a leak of their kinds only, and makes them manual when the check is off', () => {
    expect(statuses(evidence({ leaks: { state: 'ran', kinds: ['listener'] } }))['leak.timers']).toBe('pass');
    expect(statuses(evidence({ leaks: { state: 'ran', kinds: ['listener', 'timer'] } }))['leak.timers']).toBe('fail');
    expect(statuses(evidence({ leaks: { state: 'ran', kinds: ['immediate'] } }))['leak.timers']).toBe('fail');
    expect(statuses(evidence({ leaks: { state: 'off' } }))['leak.timers']).toBe('manual');
    expect(statuses(evidence({ leaks: { state: 'error', message: 'no run' } }))['leak.timers']).toBe('fail');
    // A failing test outweighs a switched-off check.
    const both = evidence({ leaks: { state: 'off' }, tests: { state: 'ran', cases: allPassing.map((c) => (c.id === 'leak.timers' ? { ...c, status: 'failed' as const } : c)) } });
    expect(statuses(both)['leak.timers']).toBe('fail');
  });

  it('judges perf items by the benchmark, manual when it did not run', () => {
    expect(statuses(evidence({ bench: { state: 'off' } }))['perf.p99']).toBe('manual');
    // A module added with --no-bench: manual, saying why, never a failed budget.
    const noBenchFile = evidence({ bench: { state: 'off', reason: 'no bench file src/x.bench.ts (added with --no-bench): review by hand' } });
    expect(evaluateChecklist(checklist, declaration, noBenchFile)[2]).toMatchObject({ status: 'manual', provedBy: 'no bench file src/x.bench.ts (added with --no-bench): review by hand' });
    expect(statuses(evidence({ bench: { state: 'error', message: 'crashed' } }))['perf.p99']).toBe('fail');
    const slow = evidence({ bench: { state: 'ran', metrics: { throughput: { ok: true, detail: '' }, p99: { ok: false, detail: 'p99 7 ms >= 5 ms' }, heap: { ok: true, detail: '' } } } });
    expect(evaluateChecklist(checklist, declaration, slow)[2]).toMatchObject({ status: 'fail', provedBy: 'benchmark: p99 7 ms >= 5 ms' });
  });

  it('takes a test id from the title up to the first colon', () => {
    expect(testIdOf('cancel.queued: aborting: twice')).toBe('cancel.queued');
    expect(testIdOf('dispose')).toBe('dispose');
  });
});
