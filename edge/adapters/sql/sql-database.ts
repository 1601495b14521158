// The little of SQLite the stores use, so one store serves both runtimes: Node's node:sqlite
// (edge/adapters/node/node-sqlite.ts) and a Durable Object's SQL storage
// (edge/adapters/cloudflare/do-sqlite.ts). Same schema, same queries, same guarantees.

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStatement {
  get(...args: SqlValue[]): unknown;
  all(...args: SqlValue[]): unknown[];
  run(...args: SqlValue[]): { readonly lastInsertRowid: number | bigint };
}

export interface SqlDatabase {
  /** One or more statements, no results. */
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  /** Runs work in one write transaction; a throw rolls it back. */
  transaction<T>(work: () => T): T;
  /**
   * The number of the last migration the database holds (edge/adapters/sql/migrations.ts); 0 for
   * a new database and for one made before the migrations. Where it is kept is the runtime's
   * business: PRAGMA user_version on Node, a table on a Durable Object (which refuses that pragma).
   */
  schemaVersion(): number;
  /** Called inside the migration's transaction, so the version moves with the schema or not at all. */
  setSchemaVersion(version: number): void;
  close(): void;
}
