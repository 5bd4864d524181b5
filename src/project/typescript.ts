/**
 * The target project's TypeScript view: its tsconfig (with `extends`), and an in-memory ts-morph program
 * over its real node_modules in which rendered code is checked before anything is written.
 * ts-morph is loaded here only, on first use, so `list` and `--help` never pay for it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Project, ts as TsNamespace } from 'ts-morph';
import { ProjectError } from '../errors.js';
import { ancestors, visibleTypePackages } from './package-json.js';

type Ts = typeof TsNamespace;
type CompilerOptions = TsNamespace.CompilerOptions;

/** How relative imports between generated files must be written. */
export type ImportStyle = 'js-extension' | 'extensionless';

/** The parts of the target's compiler configuration that shape generated code. */
export interface TsTarget {
  /** Absolute path of the tsconfig used, or null when the project has none (strict defaults apply). */
  readonly tsconfigPath: string | null;
  /** Module resolution in lower case: `node16`, `nodenext`, `bundler`, `node10` or `classic`. */
  readonly moduleResolution: string;
  /** Emitted module kind in lower case, e.g. `nodenext`, `esnext`, `commonjs`. */
  readonly module: string;
  readonly importStyle: ImportStyle;
  /** Whether relative imports may end in `.ts` (`allowImportingTsExtensions` or `rewriteRelativeImportExtensions`). */
  readonly allowImportingTsExtensions: boolean;
  readonly rewriteRelativeImportExtensions: boolean;
}

/** Strict defaults used when the target has no tsconfig. */
const DEFAULT_TSCONFIG = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  skipLibCheck: true,
};

let tsMorph: typeof import('ts-morph') | undefined;
async function loadTsMorph(): Promise<typeof import('ts-morph')> {
  tsMorph ??= await import('ts-morph');
  return tsMorph;
}

/** Finds the tsconfig that governs `dir`: the nearest tsconfig.json at or above it, stopping at the project root. */
export function findTsconfig(dir: string, projectRoot: string): string | null {
  const stop = resolve(projectRoot);
  for (const candidate of ancestors(resolve(dir))) {
    const file = join(candidate, 'tsconfig.json');
    if (existsSync(file)) return file;
    if (candidate === stop) break;
  }
  return null;
}

function formatDiagnostic(ts: Ts, d: TsNamespace.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1} - TS${d.code}: ${text}`;
  }
  return `TS${d.code}: ${text}`;
}

/** The module kind TypeScript 5 emits for these options (`module`, else derived from `target`). */
function emitModuleKind(ts: Ts, options: CompilerOptions): TsNamespace.ModuleKind {
  if (options.module !== undefined) return options.module;
  const target = options.target ?? ts.ScriptTarget.ES5;
  return target >= ts.ScriptTarget.ES2015 ? ts.ModuleKind.ES2015 : ts.ModuleKind.CommonJS;
}

/** The module resolution TypeScript 5 uses for these options (`moduleResolution`, else derived from `module`). */
function emitModuleResolution(ts: Ts, options: CompilerOptions, module: TsNamespace.ModuleKind): TsNamespace.ModuleResolutionKind {
  if (options.moduleResolution !== undefined) return options.moduleResolution;
  switch (module) {
    case ts.ModuleKind.Node16:
      return ts.ModuleResolutionKind.Node16;
    case ts.ModuleKind.NodeNext:
      return ts.ModuleResolutionKind.NodeNext;
    case ts.ModuleKind.CommonJS:
      return ts.ModuleResolutionKind.Node10;
    case ts.ModuleKind.Preserve:
      return ts.ModuleResolutionKind.Bundler;
    default:
      // Node18/Node20 exist only in newer compilers; they resolve like NodeNext.
      return /^node\d+$/i.test(ts.ModuleKind[module] ?? '') ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.Classic;
  }
}

/**
 * A type-checking session for one target directory. Create with {@link TypeScriptSession.open}.
 */
export class TypeScriptSession {
  readonly #ts: Ts;
  readonly #project: Project;
  /** What the target's configuration means for generated code. */
  readonly target: TsTarget;

  private constructor(ts: Ts, project: Project, target: TsTarget) {
    this.#ts = ts;
    this.#project = project;
    this.target = target;
  }

  /**
   * Reads the tsconfig governing `outDir` and prepares an in-memory program with its options.
   * @throws {@link ProjectError} when the tsconfig cannot be read or parsed.
   */
  static async open(outDir: string, projectRoot: string): Promise<TypeScriptSession> {
    const { Project, ts } = await loadTsMorph();
    const tsconfigPath = findTsconfig(outDir, projectRoot);
    let options: CompilerOptions;
    let typesSet: boolean;
    if (tsconfigPath) {
      const read = ts.readConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
      if (read.error) throw new ProjectError(`Cannot read ${tsconfigPath}: ${formatDiagnostic(ts, read.error)}`, 'ERR_TSCONFIG');
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(tsconfigPath), undefined, tsconfigPath);
      const fatal = parsed.errors.filter(
        (e) => e.category === ts.DiagnosticCategory.Error && e.code !== 18003 /* no inputs found */ && e.code !== 5101 && e.code !== 5107 /* deprecations */,
      );
      if (fatal.length > 0) {
        throw new ProjectError(`Invalid ${tsconfigPath}:\n${fatal.map((e) => `  ${formatDiagnostic(ts, e)}`).join('\n')}`, 'ERR_TSCONFIG');
      }
      options = parsed.options;
      typesSet = parsed.raw?.compilerOptions?.types !== undefined || options.types !== undefined;
    } else {
      options = ts.convertCompilerOptionsFromJson(DEFAULT_TSCONFIG, projectRoot).options;
      typesSet = false;
    }
    // The bundled compiler is TypeScript 6, whose `types` default is []: keep the TypeScript 5 behaviour users have.
    if (!typesSet) options.types = visibleTypePackages(outDir);
    options = {
      ...options,
      noEmit: true,
      composite: false,
      incremental: false,
      declaration: false,
      declarationMap: false,
      emitDeclarationOnly: false,
      ignoreDeprecations: '6.0',
    };
    delete options.tsBuildInfoFile;
    delete options.outFile;

    const moduleKind = emitModuleKind(ts, options);
    const resolution = emitModuleResolution(ts, options, moduleKind);
    const moduleResolution = (ts.ModuleResolutionKind[resolution] ?? 'node10').toLowerCase();
    const moduleName = (ts.ModuleKind[moduleKind] ?? 'commonjs').toLowerCase();
    const importStyle: ImportStyle = moduleResolution === 'node16' || moduleResolution === 'nodenext' ? 'js-extension' : 'extensionless';
    const project = new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: false });
    return new TypeScriptSession(ts, project, {
      tsconfigPath,
      moduleResolution: moduleResolution === 'nodejs' ? 'node10' : moduleResolution,
      module: moduleName,
      importStyle,
      allowImportingTsExtensions: options.allowImportingTsExtensions === true,
      rewriteRelativeImportExtensions: options['rewriteRelativeImportExtensions'] === true,
    });
  }

  /** True when the emitted module kind is CommonJS-like (or Node16/NodeNext in a package without `"type": "module"`). */
  isCommonJs(packageType: 'module' | 'commonjs'): boolean {
    const m = this.target.module;
    if (m === 'node16' || m === 'node18' || m === 'node20' || m === 'nodenext') return packageType !== 'module';
    return m === 'commonjs' || m === 'amd' || m === 'umd' || m === 'system' || m === 'none';
  }

  /**
   * Type-checks `text` as if it were the file at `path` (nothing is written), returning formatted error diagnostics.
   * The in-memory file is removed again afterwards.
   */
  check(path: string, text: string): string[] {
    return this.checkDetailed(path, text).map((d) => d.text);
  }

  /**
   * Like {@link TypeScriptSession.check}, also telling whether a diagnostic comes from a missing `Symbol.asyncDispose`
   * declaration (the target's lib lacks esnext.disposable and it has no @types/node that declares it).
   */
  checkDetailed(path: string, text: string): { text: string; missingAsyncDispose: boolean }[] {
    const ts = this.#ts;
    const file = this.#project.createSourceFile(path, text, { overwrite: true });
    try {
      const program = this.#project.getProgram().compilerObject;
      const sf = program.getSourceFile(file.getFilePath());
      if (!sf) return [{ text: `${path}: the compiler did not load the file`, missingAsyncDispose: false }];
      const diagnostics = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      return diagnostics
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => {
          const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
          return { text: formatDiagnostic(ts, d), missingAsyncDispose: /'asyncDispose'/.test(message) && /SymbolConstructor/.test(message) };
        });
    } finally {
      this.#project.removeSourceFile(file);
    }
  }

  /** Whether the program can see a global named `name` (e.g. `AbortSignal`); used for hints on failures. */
  hasGlobal(name: string, outDir: string): boolean {
    return this.check(join(outDir, '__concurrency_kit_global__.ts'), `export type Probe = typeof ${name};\n`).length === 0;
  }
}
