/** Flag parsing of `concurrency-kit check`, without a child process. */
import { describe, expect, it } from 'vitest';
import { chooseFormat, parseRuleSettings } from '../../src/cli/commands/check.js';
import { knownRuleIds } from '../../src/check/engine.js';
import { UsageError } from '../../src/errors.js';

describe('--rule', () => {
  it('parses repeated id=off|warning|error', () => {
    expect(parseRuleSettings(['leak.timers=off', 'bound.queue=warning', 'leak.timers=error'])).toEqual({ 'leak.timers': 'error', 'bound.queue': 'warning' });
  });

  it('an unknown id is a usage error naming every known rule', () => {
    expect(() => parseRuleSettings(['leak.nope=off'])).toThrow(UsageError);
    expect(() => parseRuleSettings(['leak.nope=off'])).toThrow(`Known rules: ${knownRuleIds().join(', ')}.`);
  });

  it('a missing or unknown severity is a usage error', () => {
    expect(() => parseRuleSettings(['leak.timers'])).toThrow(/expected leak\.timers=off, leak\.timers=warning or leak\.timers=error/);
    expect(() => parseRuleSettings(['leak.timers=info'])).toThrow(UsageError);
  });
});

describe('--format', () => {
  it('defaults to github under GITHUB_ACTIONS=true and to pretty elsewhere; an explicit format wins', () => {
    expect(chooseFormat(undefined, { GITHUB_ACTIONS: 'true' })).toBe('github');
    expect(chooseFormat(undefined, {})).toBe('pretty');
    expect(chooseFormat(undefined, { GITHUB_ACTIONS: 'false' })).toBe('pretty');
    expect(chooseFormat('sarif', { GITHUB_ACTIONS: 'true' })).toBe('sarif');
    expect(() => chooseFormat('xml', {})).toThrow(/expected one of pretty, json, sarif, github, junit/);
  });
});
