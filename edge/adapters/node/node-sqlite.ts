import './quiet-sqlite-warning.js';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SqlDatabase, SqlStatement, SqlValue } from '../sql/sql-database.js';
import { openSqlStore, type SqlStore } from '../sql/sql-store.js';
import { createPrivateFileSync, privateDirSync, privateFileSync } from './file-modes.js';

// node:sqlite behind the stores' SqlDatabase: one file under EDGE_DATA_DIR, WAL with full sync,
// because a payment written here must survive a crash the instant after. The folder is 700 and the
// files 600: the database is made empty with mode 600 before SQLite opens it, and SQLite gives its
// -wal and -shm files the database file's mode; files made before are set to 600 after opening.

class NodeSqlDatabase implements SqlDatabase {
  constructor(private readonly db: DatabaseSync) {}

  exec(sql: string): void {
    this.db.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    const statement = this.db.prepare(sql);
    return {
      get: (...args: SqlValue[]) => statement.get(...args),
      all: (...args: SqlValue[]) => statement.all(...args),
      run: (...args: SqlValue[]) => statement.run(...args),
    };
  }

  transaction<T>(work: () => T): T {
    // Taken at once, so two writers never interleave a read and a write.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // In the file's header, where SQLite keeps it for the application: part of the transaction like any write.
  schemaVersion(): number {
    return (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  }

  setSchemaVersion(version: number): void {
    // A pragma takes no bound parameter: the number is checked before it is written into the SQL.
    if (!Number.isSafeInteger(version) || version < 0) throw new Error(`not a schema version: ${version}`);
    this.db.exec(`PRAGMA user_version = ${version}`);
  }

  close(): void {
    this.db.close();
  }
}

/** The store's SQLite file (':memory:' for tests) as it is on disk: not migrated (openNodeStore does that). */
export function openNodeDatabase(file: string): SqlDatabase {
  if (file !== ':memory:') {
    privateDirSync(dirname(file));
    createPrivateFileSync(file);
  }
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;');
  return new NodeSqlDatabase(db);
}

/** The edge's store in a SQLite file (':memory:' for tests), brought to the latest schema. */
export function openNodeStore(file: string): SqlStore {
  const store = openSqlStore(openNodeDatabase(file));
  // The schema is written: the -wal and -shm files exist now.
  if (file !== ':memory:') for (const path of [file, `${file}-wal`, `${file}-shm`]) privateFileSync(path);
  return store;
}

/** A store file opened read-only (the audit verifier must not change what it checks). */
export function openReadOnly(file: string): SqlDatabase {
  return new NodeSqlDatabase(new DatabaseSync(file, { readOnly: true }));
}
