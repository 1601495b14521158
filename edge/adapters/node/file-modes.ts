import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

// The data folder holds the store, keys, tokens and the audit key: only the edge's user may enter it
// (700), and each file in it is readable by that user alone (600), whatever the umask made.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

function code(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

/** Makes the folder (and its missing parents, 700) and sets it to 700. */
export function privateDirSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if ((statSync(dir).mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Sets a file to 600 if it exists and is open to anyone else (or to more than read and write). */
export function privateFileSync(file: string): void {
  try {
    if ((statSync(file).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}

/** Creates the file empty with mode 600 unless it exists (then sets it to 600), so it is never open to others. */
export function createPrivateFileSync(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  privateFileSync(file);
}

/** A new or renamed file's name is durable once its folder is synced (Windows cannot open a folder for sync: skipped there; the file's own fsync still holds its content). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Only the name's durability is left to the OS.
  }
}
