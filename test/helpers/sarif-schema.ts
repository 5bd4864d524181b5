/**
 * The SARIF 2.1.0 JSON schema, taken from npm: `@microsoft/jest-sarif` (Microsoft's SARIF SDK for JavaScript, MIT)
 * ships the OASIS schema as `lib/schemas/sarif-2.1.0-rtm.5.json`. The package is fetched once with `npm pack`
 * (no install, no dependencies) and cached under the OS temp folder.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';

const run = promisify(execFile);

/** The npm package and version the schema comes from. */
export const SARIF_SCHEMA_PACKAGE = '@microsoft/jest-sarif@1.0.0-beta.0';
/** The schema's path inside the package. */
export const SARIF_SCHEMA_PATH = 'package/lib/schemas/sarif-2.1.0-rtm.5.json';

/** Returns the parsed schema, fetching the package on first use. */
export async function loadSarifSchema(): Promise<Record<string, unknown>> {
  const dir = join(tmpdir(), 'concurrency-kit-sarif-schema-1.0.0-beta.0');
  const file = join(dir, SARIF_SCHEMA_PATH);
  if (!existsSync(file)) {
    const staging = `${dir}.tmp-${String(process.pid)}-${String(Math.random()).slice(2, 8)}`;
    mkdirSync(staging, { recursive: true });
    try {
      const { stdout } = await run('npm', ['pack', SARIF_SCHEMA_PACKAGE, '--silent'], { cwd: staging, timeout: 120_000 });
      const tarball = stdout.trim().split('\n').pop() ?? '';
      await run('tar', ['-xzf', tarball, SARIF_SCHEMA_PATH], { cwd: staging });
      try {
        renameSync(staging, dir);
      } catch {
        // Another worker published it first.
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

/**
 * A validator compiled from the SARIF 2.1.0 schema (every error collected). The schema's `language` pattern has a
 * stray `]` that is invalid under the `u` flag, so ajv compiles patterns without it (as draft-04 validators did); its
 * `$schema` and `id` are draft-04 keywords ajv does not take, so they are dropped.
 */
export async function sarifValidator(): Promise<ValidateFunction> {
  const { $schema: _schema, id: _id, ...body } = await loadSarifSchema();
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(body);
}
