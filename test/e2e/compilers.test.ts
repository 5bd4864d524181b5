/**
 * End to end: the project's own compiler is the judge. For TypeScript 5.9, 6.0 and 7.0, each installed from npm
 * (one cached toolbox per version), the built CLI adds patterns and then the project's own `tsc` passes; a
 * setting the code cannot meet is refused with its one-line fix and the tree stays byte-identical.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { listPatterns, loadPattern, requiresNodeTypes, rolesFor } from '../../src/patterns/registry.js';
import { fileNameFor } from '../../src/generate/plan.js';
import { createTempProject, snapshotTree, STRICT_FLAGS, type TempProject, type Tree } from '../helpers/temp-project.js';
import { installToolbox, linkToolbox } from '../helpers/toolbox.js';
import { patternsFor } from '../helpers/fixture-projects.js';
import { runCli } from '../helpers/run-cli.js';

const patterns = listPatterns().map((m) => m.id);
/**
 * A third of the patterns (see `patternsFor`): CI has 20 minutes on 2 cores, so each case takes a share, chosen so
 * that TypeScript 6.0 and 7.0 each see every pattern across their cases (generate-and-verify covers every pattern
 * with the kit's own TypeScript 5.9, and the fixture matrix adds TypeScript 6.0 and 7.0 projects of other kinds).
 */
const share = (n: number): string[] => patternsFor({ share: n }, patterns);
const VERSIONS = ['5.9.3', '6.0.3', '7.0.2'] as const;
type Version = (typeof VERSIONS)[number];
const deps = (version: Version): Record<string, string> => ({ typescript: version, '@types/node': '^20.19.0', vitest: '~4.1.12', tsx: '^4.23.15' });

const toolboxes = new Map<Version, string>();
beforeAll(async () => {
  // One install per version, shared by every test and cached between runs; installed one after another (2 cores).
  for (const version of VERSIONS) toolboxes.set(version, await installToolbox(deps(version)));
}, 900_000);

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function fixture(version: Version, tree: Tree, type: 'module' | 'commonjs' = 'module'): string {
  project = createTempProject({ 'package.json': { name: 'fixture', private: true, type, devDependencies: deps(version) }, ...tree }, { linkModules: false });
  const box = toolboxes.get(version);
  if (!box) throw new Error(`no toolbox for TypeScript ${version}`);
  linkToolbox(project.dir, box);
  return project.dir;
}

/** The project's own tsc (its bin launcher, as `npx tsc` runs it). */
async function projectTsc(dir: string, args: readonly string[] = ['--noEmit']): Promise<{ exitCode: number; output: string }> {
  const result = await execa(process.execPath, [join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), ...args], { cwd: dir, reject: false, timeout: 180_000 });
  return { exitCode: result.exitCode ?? -1, output: `${String(result.stdout)}${String(result.stderr)}` };
}

const nodenext = (extra: object = {}): object => ({ compilerOptions: { target: 'ES2022', module: 'NodeNext', ...STRICT_FLAGS, ...extra }, include: ['src'] });

for (const [index, version] of VERSIONS.entries()) {
  describe(`TypeScript ${version} from npm`, () => {
    // 5.9: shares 0 and 1; 6.0: 1, 2 (and 0 in the CommonJS case below); 7.0: 2, 0 (and 1 in the Vite case below).
    const withTypes = share(index);
    it(`with "types": ["node"]: add a third of the patterns (share ${String(index)}; module, test, bench), then the project's tsc passes`, async () => {
      const dir = fixture(version, { 'tsconfig.json': nodenext({ types: ['node'] }) });
      for (const id of withTypes) {
        const result = await runCli(['add', id, '--yes'], dir);
        expect(result.stderr).toContain(`type-checking with the project's TypeScript ${version} under tsconfig.json`);
        expect(result.exitCode, result.stderr).toBe(0);
      }
      const expected = withTypes.flatMap((id) => rolesFor(loadPattern(id).manifest, { test: true, bench: true }).map((role) => fileNameFor(id, role)));
      expect(readdirSync(join(dir, 'src', 'concurrency')).sort()).toEqual(expected.sort());
      const tsc = await projectTsc(dir);
      expect(tsc.output).toBe('');
      expect(tsc.exitCode).toBe(0);
    }, 400_000);

    it(`without "types": add a third of the modules (share ${String((index + 1) % 3)}), then the project's tsc passes`, async () => {
      const dir = fixture(version, { 'tsconfig.json': nodenext() });
      for (const id of share((index + 1) % 3)) {
        const before = snapshotTree(dir);
        const result = await runCli(['add', id, '--yes', '--no-test', '--no-bench'], dir);
        // Without "types", TypeScript 6 and later see no @types package: a Node-only module (thread-pool) is refused
        // with the one-line fix and writes nothing; TypeScript 5.9 sees the installed @types/node.
        if (requiresNodeTypes(loadPattern(id)) && version !== '5.9.3') {
          expect(result.exitCode, result.stderr).toBe(2);
          expect(result.stderr.replace(/\n\s*/g, ' ')).toContain('add "types": ["node"] to compilerOptions in tsconfig.json');
          expect(snapshotTree(dir)).toEqual(before);
          continue;
        }
        expect(result.exitCode, result.stderr).toBe(0);
      }
      const tsc = await projectTsc(dir);
      expect(tsc.output).toBe('');
      expect(tsc.exitCode).toBe(0);
    });

    it('no lib or types declare setTimeout / AbortSignal: refused with the fix, the tree byte-identical', async () => {
      const dir = fixture(version, { 'tsconfig.json': nodenext({ lib: ['ES2022'], types: [] }) });
      const before = snapshotTree(dir);
      const result = await runCli(['add', 'worker-pool', '--yes', '--no-test', '--no-bench'], dir);
      expect(result.exitCode).toBe(2);
      // Human output wraps at 80 columns off a TTY: compare with the wrapping undone.
      const stderr = result.stderr.replace(/\n\s*/g, ' ');
      expect(stderr).toContain('Fix: add "types": ["node"] to compilerOptions in tsconfig.json');
      expect(stderr).toContain('Or: add "DOM" to "lib" in compilerOptions of tsconfig.json ("lib": ["ES2022", "DOM"])');
      expect(snapshotTree(dir)).toEqual(before);
    });

    it('"types": [] but a project file brings @types/node (as a dependency\'s declarations do, e.g. vite\'s): added, and the project\'s tsc passes', async () => {
      const dir = fixture(version, { 'tsconfig.json': nodenext({ lib: ['ES2022'], types: [] }), 'src/env.d.ts': '/// <reference types="node" />\n' });
      const result = await runCli(['add', 'worker-pool', '--yes', '--no-test', '--no-bench'], dir);
      expect(result.exitCode, result.stderr).toBe(0);
      const tsc = await projectTsc(dir);
      expect(tsc.output).toBe('');
      expect(tsc.exitCode).toBe(0);
    });

    it('CommonJS package + NodeNext + verbatimModuleSyntax (tsc --init in npm init -y): .mts ES modules that compile', async () => {
      const dir = fixture(version, { 'tsconfig.json': nodenext({ types: ['node'], verbatimModuleSyntax: true }) }, 'commonjs');
      const result = await runCli(['add', 'rate-limiter', '--yes', '--json'], dir);
      expect(result.exitCode, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual([
        'src/concurrency/rate-limiter.mts',
        'src/concurrency/rate-limiter.test.mts',
        'src/concurrency/rate-limiter.bench.mts',
      ]);
      const tsc = await projectTsc(dir);
      expect(tsc.output).toBe('');
      expect(tsc.exitCode).toBe(0);
    });
  });
}

describe('module: commonjs + verbatimModuleSyntax (TypeScript 6.0)', () => {
  it('writes .mts files that the project compiles (a third of the patterns)', async () => {
    const dir = fixture('6.0.3', { 'tsconfig.json': { compilerOptions: { module: 'commonjs', target: 'ES2022', strict: true, verbatimModuleSyntax: true, types: ['node'], skipLibCheck: true }, include: ['src'] } }, 'commonjs');
    for (const id of share(0)) {
      const result = await runCli(['add', id, '--yes', '--no-test', '--no-bench'], dir);
      expect(result.exitCode, result.stderr).toBe(0);
    }
    expect(readdirSync(join(dir, 'src', 'concurrency')).every((f) => f.endsWith('.mts'))).toBe(true);
    const tsc = await projectTsc(dir);
    expect(tsc.output).toBe('');
    expect(tsc.exitCode).toBe(0);
  });
});

describe('a Vite react-ts-style app (solution-style tsconfig, bundler, DOM lib) with TypeScript 7', () => {
  const vite: Tree = {
    'tsconfig.json': { files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] },
    'tsconfig.app.json': `{
  "compilerOptions": {
    "tsBuildInfoFile": "./node_modules/.tmp/tsconfig.app.tsbuildinfo",
    "target": "ES2022",
    "useDefineForClassFields": true,
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "types": [],
    "skipLibCheck": true,
    /* Bundler mode */
    "moduleResolution": "bundler",
    "allowImportingTsExtensions": true,
    "verbatimModuleSyntax": true,
    "moduleDetection": "force",
    "noEmit": true,
    "jsx": "react-jsx",
    /* Linting */
    "strict": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "erasableSyntaxOnly": true,
    "noFallthroughCasesInSwitch": true,
    "noUncheckedSideEffectImports": true,
  },
  "include": ["src"]
}
`,
    'tsconfig.node.json': {
      compilerOptions: { target: 'ES2023', lib: ['ES2023'], module: 'ESNext', types: ['node'], skipLibCheck: true, moduleResolution: 'bundler', noEmit: true, strict: true },
      include: ['vite.config.ts'],
    },
    'vite.config.ts': 'export default {};\n',
    'src/main.ts': 'export const app = 1;\n',
  };

  it('add a third of the patterns under tsconfig.app.json, then `tsc -b` passes', async () => {
    const dir = fixture('7.0.2', vite);
    for (const id of share(1)) {
      const result = await runCli(['add', id, '--yes', '--no-test', '--no-bench'], dir);
      expect(result.stderr).toContain("the project's TypeScript 7.0.2 under tsconfig.app.json");
      expect(result.exitCode, result.stderr).toBe(0);
    }
    const build = await projectTsc(dir, ['-b']);
    expect(build.output).toBe('');
    expect(build.exitCode).toBe(0);
  });
});
