import { randomBytes } from 'node:crypto';
import { chmod, open, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replacing a destination file so that a reader sees the old file or the new one, never half of
 * one: write a temp file in the same folder (a rename is atomic only within one file system),
 * fsync it, then replaceWithTemp and syncFolder.
 *
 * @example
 *   const temp = tempFileBeside(file);
 *   await writeFile(temp, text); // then fsync it
 *   await replaceWithTemp(temp, file);
 *   await syncFolder(dirname(file));
 */
export function tempFileBeside(file: string): string {
  return join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Renames the (already fsynced) temp file over `file`, giving it the permissions `file` had. */
export async function replaceWithTemp(temp: string, file: string): Promise<void> {
  const mode = await stat(file).then((s) => s.mode, () => undefined);
  if (mode !== undefined) await chmod(temp, mode & 0o777);
  await rename(temp, file);
}

/** Makes a rename in the folder durable; some platforms cannot open a folder, which is harmless to skip. */
export async function syncFolder(folder: string): Promise<void> {
  const dir = await open(folder, 'r').catch(() => undefined);
  if (!dir) return;
  await dir.sync().catch(() => undefined);
  await dir.close();
}
