/**
 * Which formatter the project uses (prettier, biome, dprint or oxfmt), read from its configuration files, its
 * declared dependencies and its npm scripts, and whether that formatter is installed so its own binary can run.
 * Without any of them the kit's prettier formats, honouring `.editorconfig`.
 */
import { join } from 'node:path';
import {
  configSearchDirs,
  declaredDependencies,
  findConfigFile,
  installedPackage,
  jsonAt,
  packageBin,
  projectScripts,
  readJsonc,
  readPackageJson,
  type InstalledPackage,
} from './project-files.js';

/** A formatter the kit can run. */
export type FormatterName = 'prettier' | 'biome' | 'dprint' | 'oxfmt';

/** The formatter that formats generated files, as `info` reports it and the format stage runs it. */
export interface FormatterProfile {
  readonly name: FormatterName;
  /** `project`: the project's own installation runs; `kit`: the kit's prettier. */
  readonly source: 'project' | 'kit';
  /** The configuration file found, absolute (for prettier, also `package.json` with a `prettier` key), or null. */
  readonly configFile: string | null;
  /** The installed package that runs (source `project`), or null for the kit's prettier. */
  readonly package: InstalledPackage | null;
  /** Absolute path of the executable script to start with Node (biome, dprint, oxfmt), or null (prettier runs in process). */
  readonly bin: string | null;
  /**
   * Set when the project uses a formatter that is not installed (so the kit's prettier stands in): its name and
   * where that was read from. The format stage turns it into a warning.
   */
  readonly missing: { readonly name: FormatterName; readonly evidence: string } | null;
}

interface Candidate {
  readonly name: FormatterName;
  readonly packageName: string;
  readonly binName: string;
  readonly configNames: readonly string[];
  /** A script command that runs this tool as a formatter. */
  readonly scriptPattern: RegExp;
}

const CANDIDATES: readonly Candidate[] = [
  { name: 'oxfmt', packageName: 'oxfmt', binName: 'oxfmt', configNames: ['.oxfmtrc.json', '.oxfmtrc.jsonc', 'oxfmt.config.ts', 'oxfmt.config.mts', 'oxfmt.config.js', 'oxfmt.config.mjs'], scriptPattern: /\boxfmt\b/ },
  { name: 'dprint', packageName: 'dprint', binName: 'dprint', configNames: ['dprint.json', 'dprint.jsonc', '.dprint.json', '.dprint.jsonc'], scriptPattern: /\bdprint\s+(fmt|check)\b/ },
  {
    name: 'prettier',
    packageName: 'prettier',
    binName: 'prettier',
    configNames: [
      '.prettierrc',
      '.prettierrc.json',
      '.prettierrc.yaml',
      '.prettierrc.yml',
      '.prettierrc.json5',
      '.prettierrc.js',
      '.prettierrc.mjs',
      '.prettierrc.cjs',
      '.prettierrc.ts',
      '.prettierrc.mts',
      '.prettierrc.cts',
      '.prettierrc.toml',
      'prettier.config.js',
      'prettier.config.mjs',
      'prettier.config.cjs',
      'prettier.config.ts',
      'prettier.config.mts',
      'prettier.config.cts',
    ],
    scriptPattern: /\bprettier\b(?!-)/,
  },
  { name: 'biome', packageName: '@biomejs/biome', binName: 'biome', configNames: ['biome.json', 'biome.jsonc', '.biome.json', '.biome.jsonc'], scriptPattern: /\bbiome\s+(format|check|ci)\b/ },
];

/** Whether a biome configuration leaves its formatter on for TypeScript (it is on unless turned off). */
function biomeFormats(configFile: string): boolean {
  const config = readJsonc(configFile);
  return jsonAt(config, 'formatter', 'enabled') !== false && jsonAt(config, 'javascript', 'formatter', 'enabled') !== false;
}

/** Whether a dprint configuration has a plugin that formats TypeScript. */
function dprintFormatsTypeScript(configFile: string): boolean {
  const plugins = jsonAt(readJsonc(configFile), 'plugins');
  return !Array.isArray(plugins) || plugins.some((p) => typeof p === 'string' && /typescript/i.test(p));
}

function configFileOf(candidate: Candidate, dirs: readonly string[]): string | null {
  const file = findConfigFile(dirs, candidate.configNames);
  if (file !== null) return file;
  if (candidate.name === 'prettier') {
    for (const dir of dirs) if (readPackageJson(dir)?.json['prettier'] !== undefined) return join(dir, 'package.json');
  }
  return null;
}

/**
 * Detects the formatter of the project at `projectRoot`. Each candidate scores by what the project says: a script
 * that runs it as a formatter (3), a declared dependency (2), a configuration file (2), a biome config that sets up
 * its formatter (1); a biome config with its formatter off, or a dprint config without a TypeScript plugin, does
 * not count. The highest score wins (ties: oxfmt, dprint, prettier, biome). When the winner is installed in the
 * project its own binary runs; otherwise, and when nothing scores, the kit's prettier.
 * @param chosen - the formatter concurrency-kit.json names: only it is considered, whatever else the project shows
 */
export function detectFormatter(projectRoot: string, chosen?: FormatterName): FormatterProfile {
  const dirs = configSearchDirs(projectRoot);
  const declared = declaredDependencies(projectRoot);
  const scripts = [...projectScripts(projectRoot).values()];
  let best: { candidate: Candidate; score: number; configFile: string | null; evidence: string } | null = null;
  for (const candidate of CANDIDATES) {
    if (chosen !== undefined && candidate.name !== chosen) continue;
    let configFile = configFileOf(candidate, dirs);
    if (configFile !== null && candidate.name === 'biome' && !biomeFormats(configFile)) continue;
    if (configFile !== null && candidate.name === 'dprint' && !dprintFormatsTypeScript(configFile)) configFile = null;
    const isDeclared = declared.has(candidate.packageName);
    const script = scripts.find((s) => candidate.scriptPattern.test(s));
    let score = (script !== undefined ? 3 : 0) + (isDeclared ? 2 : 0) + (configFile !== null ? 2 : 0);
    if (score === 0 && chosen === undefined) continue;
    if (candidate.name === 'biome' && configFile !== null && jsonAt(readJsonc(configFile), 'formatter') !== undefined) score += 1;
    const evidence =
      configFile !== null ? configFile : script !== undefined ? `the script "${script}"` : isDeclared ? `${candidate.packageName} in package.json` : 'concurrency-kit.json';
    if (best === null || score > best.score) best = { candidate, score, configFile, evidence };
  }
  const kitPrettier = (configFile: string | null, missing: FormatterProfile['missing']): FormatterProfile => ({
    name: 'prettier',
    source: 'kit',
    configFile,
    package: null,
    bin: null,
    missing,
  });
  if (best === null) return kitPrettier(null, null);
  const installed = installedPackage(projectRoot, best.candidate.packageName);
  if (installed === null) {
    return best.candidate.name === 'prettier' ? kitPrettier(best.configFile, null) : kitPrettier(null, { name: best.candidate.name, evidence: best.evidence });
  }
  return {
    name: best.candidate.name,
    source: 'project',
    configFile: best.configFile,
    package: installed,
    bin: best.candidate.name === 'prettier' ? null : packageBin(installed, best.candidate.binName),
    missing: null,
  };
}
