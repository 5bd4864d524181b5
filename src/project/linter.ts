/**
 * Which linters the project runs on its TypeScript (ESLint with a flat config, biome, oxlint), read from its
 * configuration files, declared dependencies and npm scripts, and where their binaries are installed.
 */
import {
  configSearchDirs,
  declaredDependencies,
  findConfigFile,
  installedPackage,
  jsonAt,
  packageBin,
  projectScripts,
  readJsonc,
} from './project-files.js';

/** A linter the kit can run. */
export type LinterName = 'eslint' | 'biome' | 'oxlint';

/** One linter the project uses. */
export interface LinterProfile {
  readonly name: LinterName;
  /** Its configuration file, absolute, or null (oxlint runs with its defaults without one). */
  readonly configFile: string | null;
  /** Absolute path of the executable script to start with Node, or null when the linter is not installed. */
  readonly bin: string | null;
  /** Installed version, or null when not installed. */
  readonly version: string | null;
}

const ESLINT_CONFIGS = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const BIOME_CONFIGS = ['biome.json', 'biome.jsonc', '.biome.json', '.biome.jsonc'];
const OXLINT_CONFIGS = ['.oxlintrc.json', '.oxlintrc.jsonc', 'oxlint.config.ts', 'oxlint.config.mts', 'oxlint.config.js', 'oxlint.config.mjs'];

function profile(projectRoot: string, name: LinterName, packageName: string, configFile: string | null): LinterProfile {
  const pkg = installedPackage(projectRoot, packageName);
  return { name, configFile, bin: pkg ? packageBin(pkg, name) : null, version: pkg?.version ?? null };
}

/**
 * Every linter the project uses, the one its `lint` script runs first, then ESLint, biome, oxlint:
 * - ESLint when a flat config (`eslint.config.*`) exists (legacy `.eslintrc` setups are not run);
 * - biome when a biome config exists with its linter on and `@biomejs/biome` is declared;
 * - oxlint when an oxlint config exists or `oxlint` is declared.
 */
export function detectLinters(projectRoot: string): LinterProfile[] {
  const dirs = configSearchDirs(projectRoot);
  const declared = declaredDependencies(projectRoot);
  const found: LinterProfile[] = [];
  const eslintConfig = findConfigFile(dirs, ESLINT_CONFIGS);
  if (eslintConfig !== null) found.push(profile(projectRoot, 'eslint', 'eslint', eslintConfig));
  const biomeConfig = findConfigFile(dirs, BIOME_CONFIGS);
  if (biomeConfig !== null && declared.has('@biomejs/biome')) {
    const config = readJsonc(biomeConfig);
    if (jsonAt(config, 'linter', 'enabled') !== false && jsonAt(config, 'javascript', 'linter', 'enabled') !== false) {
      found.push(profile(projectRoot, 'biome', '@biomejs/biome', biomeConfig));
    }
  }
  const oxlintConfig = findConfigFile(dirs, OXLINT_CONFIGS);
  if (oxlintConfig !== null || declared.has('oxlint')) found.push(profile(projectRoot, 'oxlint', 'oxlint', oxlintConfig));
  const lintScript = projectScripts(projectRoot).get('lint') ?? '';
  const position = (l: LinterProfile): number => {
    const at = lintScript.search(new RegExp(`\\b${l.name}\\b`));
    return at === -1 ? Number.MAX_SAFE_INTEGER : at;
  };
  return found.map((l, i) => ({ l, i })).sort((a, b) => position(a.l) - position(b.l) || a.i - b.i).map(({ l }) => l);
}

/** The project's main linter (the first of {@link detectLinters}), as `info` reports it, or null. */
export function detectLinter(projectRoot: string): { readonly name: LinterName } | null {
  const first = detectLinters(projectRoot)[0];
  return first ? { name: first.name } : null;
}
