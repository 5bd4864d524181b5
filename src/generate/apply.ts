/**
 * The only writer. Applies files all-or-nothing: each file is staged next to its target, then moved into place;
 * new files are linked (which fails rather than clobbers if one appeared meanwhile), replaced files are renamed
 * over the old ones with a backup; any failure restores what was there. The generated files and the provenance
 * record in `concurrency-kit.json` go through here together, so the record never describes files that were not
 * written, and files are never written without their record.
 */
import { link, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { FileExistsError, InterruptedError, KitError, ExitCode } from '../errors.js';
import type { FileAction, PlannedFile } from './plan.js';

/** One file to write: where, what, and whether it is new or replaces one. */
export interface StagedFile {
  /** Absolute path. */
  readonly path: string;
  /** Path shown in messages and JSON (relative to the working directory, POSIX separators). */
  readonly displayPath: string;
  readonly action: FileAction;
  readonly contents: string;
  /**
   * For a replaced file: the SHA-256 (hex) it had when its new contents were computed. If it differs when the file
   * is replaced (someone edited it meanwhile), nothing is written. Used for `concurrency-kit.json`, whose new contents
   * are the old ones plus a record.
   */
  readonly expectedSha256?: string;
}

/** A planned file with its final contents. */
export interface RenderedFile extends PlannedFile {
  readonly contents: string;
}

/** What happened (or, under dry-run, would happen) to a file. */
export type AppliedAction = 'created' | 'overwritten' | 'would-create' | 'would-overwrite';

/** One entry of the result of {@link applyFiles}. */
export interface AppliedFile {
  readonly path: string;
  readonly displayPath: string;
  readonly action: AppliedAction;
}

function describe(action: FileAction, dryRun: boolean): AppliedAction {
  if (dryRun) return action === 'create' ? 'would-create' : 'would-overwrite';
  return action === 'create' ? 'created' : 'overwritten';
}

let writeState: 'none' | 'writing' | 'written' = 'none';

/**
 * Whether this process has touched the disk through {@link applyFiles}: `none` (nothing, or everything rolled back),
 * `writing` (a write is under way) or `written`. The CLI's Ctrl-C fallback reads it so that it never claims
 * "nothing was written" when something was.
 */
export function diskWriteState(): 'none' | 'writing' | 'written' {
  return writeState;
}

/**
 * Writes every file or none.
 * @param options.signal - checked between steps: once aborted, what was written is rolled back
 * @throws {@link FileExistsError} when a file to be created appeared meanwhile; {@link InterruptedError} when the
 * signal aborted; {@link KitError} `ERR_CHANGED_MEANWHILE` when a file with an `expectedSha256` changed meanwhile, or
 * `ERR_WRITE` on I/O failure. In every case the disk is left as it was found.
 */
export async function applyFiles(files: readonly StagedFile[], options: { dryRun: boolean; signal?: AbortSignal }): Promise<AppliedFile[]> {
  const result = files.map((f) => ({ path: f.path, displayPath: f.displayPath, action: describe(f.action, options.dryRun) }));
  if (options.dryRun) return result;

  const checkpoint = (): void => {
    if (options.signal?.aborted) throw new InterruptedError();
  };
  const tag = randomBytes(6).toString('hex');
  const createdDirs: string[] = [];
  const staged: string[] = [];
  const placed: { file: StagedFile; backup: string | null }[] = [];
  const before = writeState;
  writeState = 'writing';
  try {
    for (const dir of new Set(files.map((f) => dirname(f.path)))) {
      const first = await mkdir(dir, { recursive: true });
      if (first) createdDirs.push(first);
    }
    for (const file of files) {
      const temp = `${file.path}.${tag}.tmp`;
      await writeFile(temp, file.contents, { flag: 'wx' });
      staged.push(temp);
    }
    for (const [i, file] of files.entries()) {
      checkpoint();
      const temp = staged[i]!;
      if (file.action === 'create') {
        try {
          await link(temp, file.path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError([file.path], [file.displayPath]);
          throw error;
        }
        await unlink(temp);
        placed.push({ file, backup: null });
      } else {
        const backup = `${file.path}.${tag}.bak`;
        await rename(file.path, backup);
        placed.push({ file, backup });
        // Hashed after the move: nobody else writes to the backup, so what is compared is what gets replaced.
        if (file.expectedSha256 !== undefined && createHash('sha256').update(await readFile(backup)).digest('hex') !== file.expectedSha256) {
          throw new KitError('ERR_CHANGED_MEANWHILE', `${file.displayPath} changed while the command ran; nothing was written. Run the command again.`, ExitCode.usage);
        }
        await rename(temp, file.path);
      }
    }
  } catch (error) {
    for (const { file, backup } of placed.reverse()) {
      if (backup) await rename(backup, file.path).catch(() => undefined);
      else await rm(file.path, { force: true }).catch(() => undefined);
    }
    await Promise.all(staged.map((t) => rm(t, { force: true }).catch(() => undefined)));
    for (const dir of createdDirs) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    writeState = before;
    if (error instanceof KitError) throw error;
    throw new KitError('ERR_WRITE', `Could not write the generated files; nothing was changed: ${(error as Error).message}`, ExitCode.usage, {
      cause: error,
    });
  }
  await Promise.all(placed.map((p) => (p.backup === null ? undefined : rm(p.backup, { force: true }))));
  writeState = 'written';
  return result;
}
