/**
 * The only writer. Applies rendered files all-or-nothing: each file is staged next to its target, then
 * moved into place; new files are linked (which fails rather than clobbers if one appeared meanwhile),
 * replaced files are renamed over the old ones with a backup; any failure restores what was there.
 */
import { link, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileExistsError, InterruptedError, KitError, ExitCode } from '../errors.js';
import type { FileAction, PlannedFile } from './plan.js';

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

/**
 * Writes every file or none.
 * @param options.signal - checked between steps: once aborted, what was written is rolled back
 * @throws {@link FileExistsError} when a file to be created appeared meanwhile; {@link InterruptedError} when the
 * signal aborted; {@link KitError} on I/O failure. In every case the disk is left as it was found.
 */
export async function applyFiles(files: readonly RenderedFile[], options: { dryRun: boolean; signal?: AbortSignal }): Promise<AppliedFile[]> {
  const result = files.map((f) => ({ path: f.path, displayPath: f.displayPath, action: describe(f.action, options.dryRun) }));
  if (options.dryRun) return result;

  const checkpoint = (): void => {
    if (options.signal?.aborted) throw new InterruptedError();
  };
  const tag = randomBytes(6).toString('hex');
  const createdDirs: string[] = [];
  const staged: string[] = [];
  const placed: { file: RenderedFile; backup: string | null }[] = [];
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
    if (error instanceof KitError) throw error;
    throw new KitError('ERR_WRITE', `Could not write the generated files; nothing was changed: ${(error as Error).message}`, ExitCode.usage, {
      cause: error,
    });
  }
  await Promise.all(placed.filter((p) => p.backup).map((p) => rm(p.backup!, { force: true })));
  return result;
}
