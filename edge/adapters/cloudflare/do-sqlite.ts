import type { SqlDatabase, SqlStatement, SqlValue } from '../sql/sql-database.js';

// A Durable Object's SQL storage behind the stores' SqlDatabase. Statements are not prepared
// ahead (the runtime caches them); a transaction is transactionSync, since BEGIN is not allowed.

export class DurableObjectSqlDatabase implements SqlDatabase {
  constructor(private readonly storage: DurableObjectStorage) {}

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

  close(): void {
    // The object's storage lives with the object.
  }
}
