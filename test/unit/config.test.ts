import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_FILE,
  FORMATTER_NAMES,
  TEST_NAMINGS,
  parseConfig,
  readConfig,
  resolveTargetDir,
  schemaReference,
  serializeConfig,
  toTargetDir,
  type KitConfig,
} from '../../src/config/config.js';
import { CONFIG_SCHEMA_FILE, SUPPORTED_KEYWORDS, loadConfigSchema, validateJson, type JsonSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { REPO, createTempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const HASH = 'a'.repeat(64);
const full: KitConfig = {
  $schema: 'https://example.invalid/schema.json',
  targetDir: 'src/concurrency',
  testNaming: 'spec',
  formatter: 'biome',
  modules: [
    {
      pattern: 'worker-pool',
      name: 'JobPool',
      kitVersion: '0.1.0',
      options: { concurrency: 4, overflow: 'wait', fair: true },
      files: [
        { role: 'module', path: 'src/concurrency/worker-pool.ts', sha256: HASH },
        { role: 'test', path: 'src/concurrency/worker-pool.spec.ts', sha256: HASH },
      ],
    },
  ],
};

describe('the config schema', () => {
  it('is shipped with the package and uses only keywords the validator supports', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('schema/');
    expect(CONFIG_SCHEMA_FILE).toBe(join(REPO, 'schema', 'concurrency-kit.schema.json'));
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (typeof node === 'object' && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'properties' || key === '$defs') Object.values(value as object).forEach(visit);
          else if (key !== 'enum' && key !== 'default' && key !== 'required') {
            expect(SUPPORTED_KEYWORDS.has(key), key).toBe(true);
            visit(value);
          }
        }
      }
    };
    visit(loadConfigSchema());
  });

  it('describes every setting, with the same choices as the code', () => {
    const schema = loadConfigSchema();
    for (const [key, property] of Object.entries(schema.properties ?? {})) expect(property.description, key).toBeTruthy();
    expect(schema.properties?.['testNaming']?.enum).toEqual(TEST_NAMINGS);
    expect(schema.properties?.['formatter']?.enum).toEqual(FORMATTER_NAMES);
  });

  it('refuses a schema keyword the validator does not know, rather than ignoring it', () => {
    const schema = { type: 'string', maxLength: 3 } as unknown as JsonSchema;
    expect(() => validateJson('abcd', schema)).toThrow(/"maxLength", which the kit's validator does not support/);
  });
});

describe('reading and writing concurrency-kit.json', () => {
  it('round-trips a full config, fields in a fixed order', () => {
    const text = serializeConfig({ modules: full.modules!, formatter: 'biome', testNaming: 'spec', targetDir: 'src/concurrency', $schema: full.$schema! });
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['$schema', 'targetDir', 'testNaming', 'formatter', 'modules']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseConfig(text)).toEqual(full);
  });

  it('accepts an empty config', () => {
    expect(parseConfig('{}')).toEqual({});
  });

  it.each([
    ['not JSON', '{ "targetDir": ', /is not valid JSON/],
    ['a misspelt setting', '{ "targetdir": "src" }', /targetdir is not a known field \(known: \$schema, targetDir, testNaming, formatter, check, modules, agents\)/],
    ['a wrong type', '{ "targetDir": 3 }', /targetDir must be a string \(got 3\)/],
    ['an unknown test naming', '{ "testNaming": "tests" }', /testNaming must be one of "test", "spec" \(got "tests"\)/],
    ['an unknown formatter', '{ "formatter": "rome" }', /formatter must be one of "prettier", "biome", "dprint", "oxfmt" \(got "rome"\)/],
    ['an absolute targetDir', '{ "targetDir": "/etc" }', /targetDir is not accepted \(got "\/etc"\): Folder `add` writes to when no \[dir\] is given, relative to this file, with `\/` separators\.$/],
    ['a targetDir outside the project', '{ "targetDir": "../elsewhere" }', /targetDir "..\/elsewhere" leaves the project/],
    ['an empty targetDir', '{ "targetDir": "" }', /targetDir must not be empty/],
    ['a record without files', JSON.stringify({ modules: [{ pattern: 'worker-pool', name: 'P', kitVersion: '1', options: {} }] }), /modules\[0\]\.files is required/],
    [
      'a bad hash',
      JSON.stringify({ modules: [{ ...full.modules![0], files: [{ role: 'module', path: 'a.ts', sha256: 'abc' }] }] }),
      /modules\[0\]\.files\[0\]\.sha256 is not accepted \(got "abc"\)/,
    ],
    [
      'a record with two module files',
      JSON.stringify({ modules: [{ ...full.modules![0], files: [{ role: 'module', path: 'a.ts', sha256: HASH }, { role: 'module', path: 'b.ts', sha256: HASH }] }] }),
      /modules\[0\] \(worker-pool\) must list exactly one file with role "module" \(found 2\)/,
    ],
    ['an option value of the wrong type', JSON.stringify({ modules: [{ ...full.modules![0], options: { a: null } }] }), /modules\[0\]\.options\.a must be a string, a number or a boolean \(got null\)/],
  ])('refuses %s, naming the field', (_title, text, message) => {
    expect(() => parseConfig(text, 'x/concurrency-kit.json')).toThrow(ConfigError);
    expect(() => parseConfig(text, 'x/concurrency-kit.json')).toThrow(message);
    expect(() => parseConfig(text, 'x/concurrency-kit.json')).toThrow(/^x\/concurrency-kit\.json/);
  });

  it('reads the file at the root, or null when there is none', () => {
    project = createTempProject({ 'package.json': { name: 'p' } }, { linkModules: false });
    expect(readConfig(project.dir)).toBeNull();
    project.cleanup();
    project = createTempProject({ [CONFIG_FILE]: serializeConfig(full) }, { linkModules: false });
    const loaded = readConfig(project.dir);
    expect(loaded?.config).toEqual(full);
    expect(loaded?.text).toBe(serializeConfig(full));
    expect(loaded?.path).toBe(join(project.dir, CONFIG_FILE));
  });

  it('resolves the target folder from the root, normalising backslashes', () => {
    expect(resolveTargetDir('/p', null)).toBe('/p/src/concurrency');
    expect(resolveTargetDir('/p', { targetDir: 'lib\\conc' })).toBe('/p/lib/conc');
  });

  it('turns a folder typed relative to the current directory into a root-relative targetDir', () => {
    expect(toTargetDir('../lib', '/p/src', '/p')).toBe('lib');
    expect(toTargetDir('src\\win\\pool', '/p', '/p')).toBe('src/win/pool');
    expect(toTargetDir('/p/a/b', '/p/x', '/p')).toBe('a/b');
    expect(() => toTargetDir('../../out', '/p/src', '/p')).toThrow(/must be a folder inside the project/);
  });

  it('points $schema at the published schema of this version when the kit is not installed in the project', () => {
    project = createTempProject({ 'package.json': { name: 'p' } }, { linkModules: false });
    expect(schemaReference(project.dir)).toMatch(/^https:\/\/unpkg\.com\/concurrency-kit@\d+\.\d+\.\d+[^/]*\/schema\/concurrency-kit\.schema\.json$/);
  });

  it('points $schema at the installed schema when the project has the kit in node_modules', () => {
    project = createTempProject(
      {
        'package.json': { name: 'p' },
        'node_modules/concurrency-kit/package.json': { name: 'concurrency-kit', version: '9.9.9' },
        'node_modules/concurrency-kit/schema/concurrency-kit.schema.json': '{}',
      },
      { linkModules: false },
    );
    expect(schemaReference(project.dir)).toBe('./node_modules/concurrency-kit/schema/concurrency-kit.schema.json');
  });
});
