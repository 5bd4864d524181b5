import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { assertNameFree, nameClashes, topLevelBindings, validateIdentifier } from '../../src/generate/identifier.js';
import { defaultContext } from '../../src/generate/context.js';
import { renderTemplate } from '../../src/generate/render.js';
import { FILE_ROLES, listPatterns, loadPattern, rolesFor, templateOf } from '../../src/patterns/registry.js';
import { InvalidNameError } from '../../src/errors.js';

describe('--name validation', () => {
  it.each(['JobPool', '_Pool', '$pool', 'Pool2', 'Ünïcode', 'Пул', 'プール', 'π', 'a\u200Cb'])('accepts %s', (name) => {
    expect(validateIdentifier(name)).toBe(name);
  });

  it.each([
    ['123abc', /not a valid TypeScript identifier/],
    ['my-pool', /not a valid TypeScript identifier/],
    ['', /not a valid TypeScript identifier/],
    ['Job Pool', /not a valid TypeScript identifier/],
    ['😀Pool', /not a valid TypeScript identifier/],
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

  it('agrees with the TypeScript scanner on what an identifier is', () => {
    for (const name of ['Ünïcode', 'Пул', 'a\u200Cb', '$_', '1a', 'a-b', '😀']) {
      const scanner = ts.createScanner(ts.ScriptTarget.ESNext, true, ts.LanguageVariant.Standard, name);
      const isIdentifier = scanner.scan() === ts.SyntaxKind.Identifier && scanner.getTokenEnd() === name.length;
      let accepted = true;
      try {
        validateIdentifier(name);
      } catch {
        accepted = false;
      }
      expect([name, accepted]).toEqual([name, isIdentifier]);
    }
  });
});

/** Top-level bindings as the TypeScript parser sees them. */
function parserBindings(source: string): string[] {
  const file = ts.createSourceFile('/x.ts', source, ts.ScriptTarget.ESNext, true);
  const names: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.name) names.push(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.push(e.name.text);
    } else if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) &&
      statement.name
    ) {
      names.push(statement.name.text);
    }
  }
  return names;
}

describe('top-level bindings of generated files', () => {
  it('reads imports of every form and line-initial declarations, not nested ones', () => {
    const source = [
      "import def, { a, type B, c as d } from 'x';",
      "import * as ns from 'y';",
      "import type { E } from 'z';",
      'import {',
      '  f,',
      '  g as h,',
      "} from './m.js';",
      "import 'side-effect';",
      'export abstract class K {}',
      'async function run(): Promise<void> {',
      '  const inner = 1;',
      '}',
      'export type T = string;',
      'let counter = 0;',
    ].join('\n');
    expect(topLevelBindings(source)).toEqual(['def', 'a', 'B', 'd', 'ns', 'E', 'f', 'h', 'K', 'run', 'T', 'counter']);
    expect(topLevelBindings(source)).toEqual(parserBindings(source));
  });

  for (const manifest of listPatterns()) {
    it(`${manifest.id}: the scan finds exactly what the TypeScript parser finds, in every file`, () => {
      const pattern = loadPattern(manifest.id);
      for (const asyncDispose of [true, false]) {
        const context = defaultContext(manifest, { moduleFormat: 'esm', asyncDispose }, '0.0.0');
        for (const role of rolesFor(manifest, { test: true, bench: true })) {
          const source = renderTemplate(templateOf(pattern, role), context, `${manifest.id}/${role}`);
          const scanned = topLevelBindings(source);
          expect(scanned.length).toBeGreaterThan(2);
          expect(scanned).toEqual(parserBindings(source));
        }
      }
    });
  }
});

describe('names that clash with the generated code', () => {
  const pool = loadPattern('worker-pool');
  const defaults = Object.fromEntries(pool.manifest.options.map((o) => [o.name, o.default]));

  it('refuses an export of the module, listing the names taken', () => {
    expect(() => assertNameFree(pool, 'QueueFullError', defaults, FILE_ROLES)).toThrow(InvalidNameError);
    expect(() => assertNameFree(pool, 'QueueFullError', defaults, FILE_ROLES)).toThrow(
      /--name "QueueFullError" cannot be used for worker-pool: the generated code would then declare QueueFullError twice\. Names the worker-pool module already uses: .*QueueFullError, ClosedError/,
    );
  });

  it('refuses a name the test file uses, but only when the test is generated', () => {
    const found = nameClashes(pool, 'describe', defaults, FILE_ROLES);
    expect(found.clashes).toEqual(['describe']);
    expect(found.others).toContain('describe');
    expect(nameClashes(pool, 'describe', defaults, ['module']).clashes).toEqual([]);
  });

  it('refuses a name whose derived names clash (rate-limiter: KeyedRateLimiter makes KeyedRateLimiterOptions)', () => {
    const limiter = loadPattern('rate-limiter');
    const options = Object.fromEntries(limiter.manifest.options.map((o) => [o.name, o.default]));
    expect(nameClashes(limiter, 'KeyedRateLimiter', options, ['module']).clashes).toContain('KeyedRateLimiterOptions');
  });

  it('accepts free names and Unicode names', () => {
    for (const name of ['JobPool', 'Ünïcode']) {
      expect(() => assertNameFree(pool, name, defaults, FILE_ROLES)).not.toThrow();
    }
  });

  for (const manifest of listPatterns()) {
    it(`${manifest.id}: the default name clashes with nothing (add skips the check for it)`, () => {
      const pattern = loadPattern(manifest.id);
      const options = Object.fromEntries(manifest.options.map((o) => [o.name, o.default]));
      expect(nameClashes(pattern, manifest.defaultName, options, rolesFor(manifest, { test: true, bench: true })).clashes).toEqual([]);
    });

    it(`${manifest.id}: the top-level names are the same for every target (the check renders one)`, () => {
      const pattern = loadPattern(manifest.id);
      const names = (moduleFormat: 'esm' | 'cjs', asyncDispose: boolean): string[][] =>
        rolesFor(manifest, { test: true, bench: true }).map((role) =>
          topLevelBindings(renderTemplate(templateOf(pattern, role), { ...defaultContext(manifest, { moduleFormat, asyncDispose }, '0.0.0'), name: 'N' }, role)),
        );
      const reference = names('esm', true);
      expect(names('esm', false)).toEqual(reference);
      expect(names('cjs', true)).toEqual(reference);
      expect(names('cjs', false)).toEqual(reference);
    });
  }
});
