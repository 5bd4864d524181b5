import { describe, expect, it } from 'vitest';
import { parseManifest, type PatternManifest } from '../../src/patterns/manifest.js';
import { coerceOption, parseSetEntries, resolveOptions } from '../../src/patterns/options.js';
import { InvalidOptionError, TemplateError } from '../../src/errors.js';

const manifest: PatternManifest = parseManifest(
  'm.json',
  {
    id: 'demo',
    description: 'd',
    defaultName: 'Demo',
    checklist: { agent: 'concurrency-specialist', proofs: {} },
    options: [
      { name: 'concurrency', type: 'integer', default: 4, min: 1, max: 64, description: 'c' },
      { name: 'ratio', type: 'number', default: 0.5, min: 0, max: 1, description: 'r' },
      { name: 'fair', type: 'boolean', default: true, description: 'f' },
      { name: 'overflow', type: 'enum', choices: ['reject', 'wait'], default: 'reject', description: 'o' },
    ],
    budget: { throughputOpsPerSec: 1000, p99Ms: 5, heapGrowthBytes: 1_000_000 },
  },
  'demo',
);

describe('option validation', () => {
  it('fills defaults for options not given', () => {
    expect(resolveOptions(manifest, new Map())).toEqual({ concurrency: 4, ratio: 0.5, fair: true, overflow: 'reject' });
  });

  it('coerces --set strings to the declared types', () => {
    const given = parseSetEntries(manifest, ['concurrency=16', 'ratio=0.25', 'fair=false', 'overflow=wait']);
    expect(resolveOptions(manifest, given)).toEqual({ concurrency: 16, ratio: 0.25, fair: false, overflow: 'wait' });
  });

  it('accepts numeric separators in integers', () => {
    expect(coerceOption('demo', manifest.options[0]!, '1_0')).toBe(10);
  });

  it('rejects an unknown key, naming it and listing the known options', () => {
    expect(() => parseSetEntries(manifest, ['concurrancy=3'])).toThrowError(
      new InvalidOptionError('Unknown option "concurrancy" for pattern "demo". Known options: concurrency, ratio, fair, overflow.'),
    );
  });

  it('rejects a malformed entry and a repeated key', () => {
    expect(() => parseSetEntries(manifest, ['concurrency'])).toThrow(/--set expects key=value, received "concurrency"/);
    expect(() => parseSetEntries(manifest, ['=3'])).toThrow(/--set expects key=value/);
    expect(() => parseSetEntries(manifest, ['fair=true', 'fair=false'])).toThrow(/given twice/);
  });

  it.each([
    ['concurrency', 'abc', 'an integer from 1 to 64'],
    ['concurrency', '2.5', 'an integer from 1 to 64'],
    ['concurrency', '0', 'an integer from 1 to 64'],
    ['concurrency', '65', 'an integer from 1 to 64'],
    ['concurrency', '', 'an integer from 1 to 64'],
    ['ratio', 'NaN', 'a number from 0 to 1'],
    ['ratio', '1.5', 'a number from 0 to 1'],
    ['fair', 'yes', 'true or false'],
    ['overflow', 'drop', 'one of "reject", "wait"'],
  ])('rejects %s=%s, saying it accepts %s', (key, value, accepted) => {
    const given = parseSetEntries(manifest, [`${key}=${value}`]);
    expect(() => resolveOptions(manifest, given)).toThrowError(
      new InvalidOptionError(`Option "${key}" of pattern "demo" accepts ${accepted}; received "${value}".`),
    );
  });

  it('errors carry a stable code', () => {
    try {
      resolveOptions(manifest, new Map([['concurrency', '0']]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).code).toBe('ERR_INVALID_OPTION');
      expect((error as InvalidOptionError).exitCode).toBe(2);
    }
  });
});

describe('manifest validation', () => {
  const budget = { throughputOpsPerSec: 1000, p99Ms: 5, heapGrowthBytes: 1_000_000 };
  const base = { id: 'x', description: 'd', defaultName: 'X', options: [] as unknown[], budget, checklist: { agent: 'concurrency-specialist', proofs: {} } as unknown };

  it.each([
    [{ ...base, id: 'Bad_Id' }, /id "Bad_Id" must be kebab-case/],
    [{ ...base, id: 'other' }, /must equal its folder name "x"/],
    [{ ...base, description: '' }, /description must be a non-empty string/],
    [{ ...base, options: [{ name: 'n', type: 'integer', default: 0, min: 1, max: 2, description: 'd' }] }, /need min <= default <= max/],
    [{ ...base, options: [{ name: 'n', type: 'float', default: 0, description: 'd' }] }, /type must be one of/],
    [{ ...base, options: [{ name: 'n', type: 'enum', choices: ['a'], default: 'b', description: 'd' }] }, /default must be one of its choices/],
    [{ ...base, options: [{ name: 'n', type: 'boolean', default: true, description: 'd' }, { name: 'n', type: 'boolean', default: true, description: 'd' }] }, /declared twice/],
    [{ ...base, checklist: undefined }, /checklist must be an object/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { 'leak.timers': {} } } }, /proves nothing/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { 'cancel.queued': { leaks: true } } } }, /leak check covers only/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { 'bound.queue': { bench: true } } } }, /benchmark covers only/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { 'bound.queue': { tests: ['Bad Id'] } } } }, /must be an array of test ids/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { nodot: { tests: ['a'] } } } }, /is not a checklist id/],
    [{ ...base, checklist: { agent: 'concurrency-specialist', proofs: { 'a.b': { test: ['a'] } } } }, /unknown field "test"/],
  ])('rejects a malformed manifest (%#)', (raw, message) => {
    expect(() => parseManifest('x/manifest.json', raw, 'x')).toThrow(TemplateError);
    expect(() => parseManifest('x/manifest.json', raw, 'x')).toThrow(message);
  });
});
