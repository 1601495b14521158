import '../quiet-sqlite-warning.js';
import * as sqlite from 'node:sqlite';
import { createPrivateFileSync, privateFileSync } from '../file-modes.js';

// A consistent copy of the live database while the edge writes to it. Never a file copy: in WAL
// mode the newest pages live in the -wal file, and a copy of the main file alone (or of both at
// different moments) can miss or tear a transaction. SQLite's online backup reads one snapshot:
// node:sqlite's backup() (Node 22.16+), all pages in a single step so no write of the edge can
// restart it, run on a worker thread so the edge's requests go on meanwhile. Without it, VACUUM
// INTO, which reads the same kind of snapshot but blocks this thread while it runs.

/** Every page in one step: the snapshot of one read transaction, which WAL lets the edge write beside. */
const ALL_PAGES = -1;

export async function copyDatabase(source: string, target: string): Promise<void> {
  // Made empty with mode 600 before SQLite writes into it (both ways accept an empty file), so the
  // books are never readable by others, even for a moment.
  createPrivateFileSync(target);
  const db = new sqlite.DatabaseSync(source, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    if ('backup' in sqlite && typeof sqlite.backup === 'function') await sqlite.backup(db, target, { rate: ALL_PAGES });
    else db.prepare('VACUUM INTO ?').run(target);
  } finally {
    db.close();
  }
  // The copy keeps the WAL flag of its source; a backup is one self-contained file instead (the
  // edge sets WAL again when it opens a restored one).
  const copy = new sqlite.DatabaseSync(target);
  try {
    copy.exec('PRAGMA journal_mode = DELETE');
  } finally {
    copy.close();
  }
  privateFileSync(target);
}
