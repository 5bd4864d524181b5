import { describe, expect, it } from 'vitest';
import { validateIdentifier } from '../../src/generate/identifier.js';
import { InvalidNameError } from '../../src/errors.js';

describe('--name validation', () => {
  it.each(['JobPool', '_Pool', '$pool', 'Pool2',])('accepts %s', (name) => {
    expect(validateIdentifier(name)).toBe(name);
  });

  it.each([
    ['123abc', /not a valid TypeScript identifier/],
    ['my-pool', /not a valid TypeScript identifier/],
    ['', /not a valid TypeScript identifier/],
    ['class', /reserved word/],
    ['await', /reserved word/],
    ['yield', /reserved word/],
    ['interface', /reserved word/],
    ['let', /reserved word/],
    ['Promise', /would shadow the global "Promise"/],
    ['Error', /would shadow the global "Error"/],
    ['Map', /would shadow the global "Map"/],
    ['Worker', /would shadow the global "Worker"/],
    ['AbortController', /would shadow the global "AbortController"/],
  ])('rejects %s', (name, message) => {
    expect(() => validateIdentifier(name)).toThrow(InvalidNameError);
    expect(() => validateIdentifier(name)).toThrow(message);
  });
});
