/**
 * Turns the compiler's complaints about the environment (a global it cannot find, a lib that is too old, a module
 * with no types) into the project setting to change and the exact one-line fix, e.g.
 * `add "types": ["node"] to compilerOptions in tsconfig.app.json`. Diagnostics about the code itself are left for
 * the caller to report as they are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnmetSetting } from '../errors.js';
import type { CheckDiagnostic } from './check.js';
import { resolveProjectPackage } from './package-json.js';
import { displayConfigPath, type ResolvedTsconfig } from './tsconfig.js';

/** What {@link explainDiagnostics} needs to know about the project. */
export interface SettingsContext {
  readonly tsconfig: ResolvedTsconfig | null;
  readonly projectRoot: string;
  /** Major version of the compiler that judged (TypeScript 5 sees every installed @types package by default). */
  readonly compilerMajor: number;
}

/** The outcome of {@link explainDiagnostics}. */
export interface Explanation {
  /** Settings to change, each with its fix (deduplicated). */
  readonly settings: readonly UnmetSetting[];
  /** Diagnostics no setting explains: problems in the code itself. */
  readonly unexplained: readonly CheckDiagnostic[];
}

/** Globals only Node's types declare. */
const NODE_ONLY = new Set(['process', 'Buffer', 'setImmediate', 'clearImmediate', 'require', 'module', '__dirname', '__filename', 'global', 'NodeJS']);
/** Globals both Node's types and the DOM lib declare. */
const NODE_OR_DOM = new Set([
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone', 'performance',
  'AbortSignal', 'AbortController', 'EventTarget', 'Event', 'DOMException', 'console', 'TextEncoder', 'TextDecoder',
  'MessageChannel', 'MessagePort', 'URL', 'fetch', 'Blob', 'crypto', 'btoa', 'atob', 'BroadcastChannel',
]);
const MISSING_NAME_CODES = new Set([2304, 2552, 2580, 2582, 2584, 2591, 2593]);
const NODE_BUILTINS = /^(node:.+|assert|buffer|child_process|crypto|events|fs|os|path|perf_hooks|stream|timers|url|util|worker_threads)(\/.*)?$/;

function declaredDependencies(root: string): Set<string> {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return new Set();
  try {
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const names = new Set<string>();
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[field];
      if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) names.add(name);
    }
    return names;
  } catch {
    return new Set();
  }
}

function quote(value: unknown): string {
  return JSON.stringify(value);
}

/** Where a compiler option should be changed: the config that sets it, unless that is a package's, else the leaf. */
function optionHome(context: SettingsContext, option: string): { file: string; value: unknown } {
  const config = context.tsconfig;
  if (!config) return { file: 'tsconfig.json (create it)', value: undefined };
  const source = config.optionSources[option];
  const editable = source !== undefined && !source.split(/[\\/]/).includes('node_modules') ? source : config.path;
  return { file: displayConfigPath(editable, context.projectRoot), value: config.compilerOptions[option] };
}

/** "add "node" to "types" ...", worded for the current value. */
function addToList(context: SettingsContext, option: 'types' | 'lib', entry: string): string {
  const { file, value } = optionHome(context, option);
  const current = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
  if (current === null || current.length === 0) return `add ${quote(option)}: [${quote(entry)}] to compilerOptions in ${file}`;
  return `add ${quote(entry)} to ${quote(option)} in compilerOptions of ${file} (${quote(option)}: ${JSON.stringify([...current, entry]).replaceAll(',', ', ')})`;
}

function nodeTypesFix(context: SettingsContext, declared: Set<string>, names: readonly string[]): UnmetSetting {
  const { file, value } = optionHome(context, 'types');
  const typesListed = Array.isArray(value);
  const install = declared.has('@types/node')
    ? resolveProjectPackage(context.projectRoot, '@types/node') === null
      ? 'install the declared dependencies (npm install)'
      : null
    : 'install @types/node (npm i -D @types/node)';
  // TypeScript 5 includes every installed @types package unless `types` lists them; 6 and 7 include none by default.
  const listNeeded = typesListed ? !value.includes('node') : context.compilerMajor >= 6;
  const edit = listNeeded ? addToList(context, 'types', 'node') : null;
  const fix = [install, edit].filter((s): s is string => s !== null).join(', then ') || addToList(context, 'types', 'node');
  const webOnly = names.every((n) => NODE_OR_DOM.has(n));
  const lib = optionHome(context, 'lib');
  const libList = Array.isArray(lib.value) ? lib.value.map((v) => String(v).toLowerCase()) : null;
  const alternative = webOnly && libList !== null && !libList.includes('dom') ? addToList(context, 'lib', 'DOM') : undefined;
  return {
    setting: `compilerOptions.types in ${file}`,
    needs: `the generated code uses ${names.join(', ')}, which the project's types do not declare (they come from @types/node${webOnly ? ' or the DOM lib' : ''})`,
    fix,
    ...(alternative ? { alternative } : {}),
  };
}

/**
 * Sorts diagnostics into settings to change (with fixes) and problems of the code itself.
 * Names only Node declares (or that the compiler attributes to Node) need `@types/node` listed in `types`; web
 * globals (`setTimeout`, `AbortSignal`) need `@types/node` or the DOM lib; a lib too old for a built-in needs a newer
 * `lib`/`target`; a module with no types needs its package installed.
 */
export function explainDiagnostics(diagnostics: readonly CheckDiagnostic[], context: SettingsContext): Explanation {
  const declared = declaredDependencies(context.projectRoot);
  const nodeNames = new Set<string>();
  const libs = new Map<string, Set<string>>();
  const packages = new Set<string>();
  const unexplained: CheckDiagnostic[] = [];
  for (const d of diagnostics) {
    const name = /Cannot find name '([^']+)'/.exec(d.message)?.[1];
    const moduleName = /Cannot find module '([^']+)'/.exec(d.message)?.[1];
    const suggestedLib = /'lib' compiler option to '([^']+)'/.exec(d.message)?.[1];
    if (MISSING_NAME_CODES.has(d.code) && name !== undefined && (NODE_ONLY.has(name) || NODE_OR_DOM.has(name) || d.code === 2580 || d.code === 2591)) {
      nodeNames.add(name);
    } else if ((d.code === 2583 || d.code === 2550) && suggestedLib !== undefined) {
      const what = /(?:name|Property) '([^']+)'/.exec(d.message)?.[1] ?? 'a built-in';
      const set = libs.get(suggestedLib) ?? new Set<string>();
      set.add(what);
      libs.set(suggestedLib, set);
    } else if ((d.code === 2307 || d.code === 2792) && moduleName !== undefined && NODE_BUILTINS.test(moduleName)) {
      nodeNames.add(`'${moduleName}'`);
    } else if ((d.code === 2307 || d.code === 2792) && moduleName !== undefined && !moduleName.startsWith('.')) {
      packages.add(moduleName.startsWith('@') ? moduleName.split('/').slice(0, 2).join('/') : (moduleName.split('/')[0] ?? moduleName));
    } else if (d.code === 2688 && /'node'/.test(d.message)) {
      nodeNames.add('(the "node" entry of "types")');
    } else {
      unexplained.push(d);
    }
  }
  // Imports of Node's own modules that resolve to nothing leave their bindings untyped: whatever else fails then
  // (a timer handle taken for a number, an index into `{}`) follows from the same missing types.
  if ([...nodeNames].some((n) => /^'?node:/.test(n))) unexplained.length = 0;
  const settings: UnmetSetting[] = [];
  if (nodeNames.size > 0) settings.push(nodeTypesFix(context, declared, [...nodeNames].sort()));
  for (const [lib, names] of libs) {
    const { file, value } = optionHome(context, 'lib');
    // With no `lib`, the default follows `target` (and includes the DOM): raising `target` keeps that default.
    const fix = Array.isArray(value) ? addToList(context, 'lib', lib) : `set "target": ${quote(lib)} (or later) in compilerOptions of ${optionHome(context, 'target').file}`;
    const alternative = Array.isArray(value) ? undefined : `add "lib": [${quote(lib)}, "DOM"] to compilerOptions in ${file}`;
    settings.push({
      setting: `compilerOptions.lib in ${file}`,
      needs: `the generated code uses ${[...names].sort().join(', ')}, declared from the ${lib} lib on`,
      fix,
      ...(alternative ? { alternative } : {}),
    });
  }
  for (const name of [...packages].sort()) {
    settings.push({
      setting: 'devDependencies in package.json',
      needs: `the generated code imports ${name}, which is not installed`,
      fix: declared.has(name) ? `install the declared dependencies (npm install)` : `install ${name} (npm i -D ${name})`,
    });
  }
  return { settings, unexplained };
}

/** Diagnostics that only a compiler flag makes errors, by code: the flag to name. */
const FLAG_CODES: ReadonlyMap<number, string> = new Map([
  [1294, 'erasableSyntaxOnly'],
  [1286, 'verbatimModuleSyntax'],
  [1287, 'verbatimModuleSyntax'],
  [1484, 'verbatimModuleSyntax'],
  [2375, 'exactOptionalPropertyTypes'],
  [2379, 'exactOptionalPropertyTypes'],
  [2412, 'exactOptionalPropertyTypes'],
  [4111, 'noPropertyAccessFromIndexSignature'],
  [18046, 'useUnknownInCatchVariables'],
]);

/**
 * For diagnostics that a strictness flag of the project causes (TS1294 under `erasableSyntaxOnly`, TS9xxx under
 * `isolatedDeclarations`, ...): one line per flag naming it and where it is set. Generated code is meant to compile
 * under every such flag, so these point at a defect of the kit's template, and say so.
 */
export function flagHints(diagnostics: readonly CheckDiagnostic[], context: SettingsContext): string[] {
  const flags = new Set<string>();
  for (const d of diagnostics) {
    const flag = FLAG_CODES.get(d.code) ?? (d.code >= 9005 && d.code <= 9039 ? 'isolatedDeclarations' : undefined);
    if (flag !== undefined) flags.add(flag);
  }
  return [...flags].sort().map((flag) => {
    const { file } = optionHome(context, flag);
    return `The generated code does not meet "${flag}" (set in ${file}). Generated code should compile under every strictness flag: this is a defect of the kit's template, please report it. Until it is fixed, \`add\` can only write it with "${flag}": false.`;
  });
}
