/** The manifest's optional `when`: an option that applies only under other options' values. */
import { describe, expect, it } from 'vitest';
import { describeCondition, inapplicableOptionWarnings, optionApplies, parseManifest, type PatternManifest } from '../../src/patterns/manifest.js';
import { TemplateError } from '../../src/errors.js';

function manifestWith(options: unknown[]): PatternManifest {
  return parseManifest(
    'm.json',
    {
      id: 'demo',
      description: 'd',
      defaultName: 'Demo',
      checklist: { agent: 'concurrency-specialist', proofs: {} },
      options,
      budget: { throughputOpsPerSec: 1000, p99Ms: 5, heapGrowthBytes: 1_000_000 },
    },
    'demo',
  );
}

const overflow = { name: 'overflow', type: 'enum', choices: ['reject', 'wait', 'drop'], default: 'reject', description: 'o' };
const fair = { name: 'fair', type: 'boolean', default: false, description: 'f' };
const waiting = { name: 'waitingCapacity', type: 'integer', default: 16, min: 0, max: 100, description: 'w', when: { overflow: 'wait' } };

describe('option conditions (when)', () => {
  it('parses a single value and a list, stored as lists', () => {
    const m = manifestWith([overflow, fair, waiting, { ...waiting, name: 'grace', when: { overflow: ['wait', 'drop'], fair: true } }]);
    expect(m.options[2]?.when).toEqual({ overflow: ['wait'] });
    expect(m.options[3]?.when).toEqual({ overflow: ['wait', 'drop'], fair: [true] });
    expect(m.options[0]?.when).toBeUndefined();
  });

  it('applies an option only when every named option holds a listed value', () => {
    const m = manifestWith([overflow, fair, waiting, { ...waiting, name: 'grace', when: { overflow: ['wait', 'drop'], fair: true } }]);
    const [, , w, g] = m.options;
    expect(optionApplies(w!, { overflow: 'wait', fair: false })).toBe(true);
    expect(optionApplies(w!, { overflow: 'reject', fair: false })).toBe(false);
    expect(optionApplies(g!, { overflow: 'drop', fair: true })).toBe(true);
    expect(optionApplies(g!, { overflow: 'drop', fair: false })).toBe(false);
    expect(optionApplies(m.options[0]!, {})).toBe(true);
    expect(describeCondition(w!)).toBe('overflow is "wait"');
    expect(describeCondition(g!)).toBe('overflow is "wait" or "drop" and fair is true');
    expect(describeCondition(m.options[0]!)).toBeNull();
  });

  it('warns about an option given explicitly that has no effect, and only then', () => {
    const m = manifestWith([overflow, fair, waiting]);
    expect(inapplicableOptionWarnings(m, ['waitingCapacity'], { overflow: 'reject', fair: false, waitingCapacity: 4 })).toEqual([
      'option waitingCapacity has no effect here: it applies only when overflow is "wait".',
    ]);
    expect(inapplicableOptionWarnings(m, ['waitingCapacity'], { overflow: 'wait', fair: false, waitingCapacity: 4 })).toEqual([]);
    expect(inapplicableOptionWarnings(m, ['overflow'], { overflow: 'reject', fair: false, waitingCapacity: 16 })).toEqual([]);
  });

  it.each([
    ['an option declared after it', [waiting, overflow], /when names "overflow", which is not an option declared before it/],
    ['an unknown option', [overflow, { ...waiting, when: { overfow: 'wait' } }], /when names "overfow", which is not an option declared before it \(known: overflow\)/],
    ['itself', [overflow, { ...waiting, when: { waitingCapacity: 1 } }], /when names "waitingCapacity", which is not an option declared before it/],
    ['a value the option does not accept', [overflow, { ...waiting, when: { overflow: 'block' } }], /when\.overflow: "block" is not a value of option "overflow"/],
    ['a value of the wrong type', [fair, { ...waiting, when: { fair: 'yes' } }], /when\.fair: "yes" is not a value of option "fair"/],
    ['an empty list', [overflow, { ...waiting, when: { overflow: [] } }], /when\.overflow must list at least one value/],
    ['an empty condition', [overflow, { ...waiting, when: {} }], /when must be an object naming at least one earlier option/],
  ])('refuses a condition on %s', (_title, options, message) => {
    expect(() => manifestWith(options)).toThrow(TemplateError);
    expect(() => manifestWith(options)).toThrow(message);
  });
});
