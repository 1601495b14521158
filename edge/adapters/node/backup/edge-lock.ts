import '../quiet-sqlite-warning.js';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PRIVATE_FILE_MODE, privateDirSync } from '../file-modes.js';

// Whether an edge runs on a data folder, for the restore (which must never swap the books under a
// running edge). Two signs. The sure one is SQLite's own lock: an open WAL connection holds a shared
// lock on the database file as long as it is open, so an exclusive lock cannot be had while any
// process (an edge, a backup) has it open, and the OS drops the lock when that process dies. The
// other is edge.pid, which the edge writes at start and removes at stop: it names the process, and
// covers the moment before the edge opens its database.

export const EDGE_PID_FILE = 'edge.pid';

export interface EdgeLock {
  release(): void;
}

/** Written by the edge at start: "pid token"; removed at stop only if still its own (another edge in this process may have written it since). */
export function claimEdgePidFile(dataDir: string): EdgeLock {
  privateDirSync(dataDir);
  const file = join(dataDir, EDGE_PID_FILE);
  const text = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  writeFileSync(file, text, { mode: PRIVATE_FILE_MODE });
  return {
    release() {
      try {
        if (readFileSync(file, 'utf8') === text) rmSync(file, { force: true });
      } catch {
        // Gone already: nothing to release.
      }
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists, under another user.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** The live process edge.pid names (not this one); undefined when there is none or it died (a stale file). */
export function pidFileHolder(dataDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, EDGE_PID_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.split(' ')[0]);
  return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

/** True when some process has the database open (SQLite refuses an exclusive lock); false when no one has. */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file);
  } catch {
    return false;
  }
  try {
    // No wait: a lock held now is the answer. Exclusive locking mode makes SQLite take the lock on
    // the database file itself, which conflicts with every other open WAL connection.
    db.exec('PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK;');
    return false;
  } catch (error) {
    if (error instanceof Error && /locked|busy/i.test(error.message)) return true;
    // A file SQLite cannot read at all (the damage a restore is for) holds no lock either; edge.pid
    // still guards it.
    return false;
  } finally {
    db.close();
  }
}
