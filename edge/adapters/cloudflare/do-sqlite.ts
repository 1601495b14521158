import type { SqlDatabase, SqlStatement, SqlValue } from '../sql/sql-database.js';

// A Durable Object's SQL storage behind the stores' SqlDatabase. Statements are not prepared
// ahead (the runtime caches them); a transaction is transactionSync, since BEGIN is not allowed.

/** What this adapter uses of DurableObjectStorage (so it can be tried outside workerd). */
export interface DurableObjectSqlStorage {
  readonly sql: { exec(query: string, ...bindings: SqlValue[]): { toArray(): unknown[]; one(): unknown } };
  transactionSync<T>(work: () => T): T;
}

// The storage refuses PRAGMA user_version (SQLITE_AUTH, like most pragmas), so the schema version
// lives in this one-row table instead, written in the migration's transaction all the same.
const VERSION_TABLE = 'CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)';

export class DurableObjectSqlDatabase implements SqlDatabase {
  constructor(private readonly storage: DurableObjectSqlStorage) {}

  exec(sql: string): void {
    this.storage.sql.exec(sql);
  }

  prepare(sql: string): SqlStatement {
    const run = (args: SqlValue[]) => this.storage.sql.exec(sql, ...args);
    return {
      get: (...args: SqlValue[]) => run(args).toArray()[0],
      all: (...args: SqlValue[]) => run(args).toArray(),
      run: (...args: SqlValue[]) => {
        run(args);
        const row = this.storage.sql.exec('SELECT last_insert_rowid() AS id').one() as { id: number };
        return { lastInsertRowid: row.id };
      },
    };
  }

  transaction<T>(work: () => T): T {
    return this.storage.transactionSync(work);
  }

  schemaVersion(): number {
    // No table yet: a new object, or one made before the migrations (version 0 either way).
    const kept = this.storage.sql.exec("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
    if (!kept) return 0;
    const row = this.storage.sql.exec('SELECT version FROM schema_version WHERE id = 1').toArray()[0] as { version: number } | undefined;
    return row?.version ?? 0;
  }

  setSchemaVersion(version: number): void {
    this.storage.sql.exec(VERSION_TABLE);
    this.storage.sql.exec('INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version', version);
  }

  close(): void {
    // The object's storage lives with the object.
  }
}
