import { describe, expect, it } from 'vitest';
import { DurableObjectSqlDatabase, type DurableObjectSqlStorage } from '../../../edge/adapters/cloudflare/do-sqlite.js';
import { openNodeDatabase } from '../../../edge/adapters/node/node-sqlite.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../../edge/adapters/sql/migrations.js';
import type { SqlDatabase, SqlValue } from '../../../edge/adapters/sql/sql-database.js';
import { OLD_DEVICE, oldSchema, writeOldRows } from './old-database.js';
import { AccessRepository } from '../../../edge/adapters/sql/access-repository.js';

// A Durable Object's SQL storage refuses PRAGMA user_version (SQLITE_AUTH in workerd), so its
// adapter keeps the schema version in a table. Here a node:sqlite database stands in for the
// storage, refusing that pragma the same way; the store contract runs on real workerd elsewhere.

function storageOn(db: SqlDatabase): DurableObjectSqlStorage {
  return {
    sql: {
      exec(query: string, ...bindings: SqlValue[]) {
        if (/PRAGMA\s+user_version/i.test(query)) throw new Error('not authorized: SQLITE_AUTH');
        // Reads and bound statements give rows; a script of DDL runs whole.
        const rows = /^\s*(SELECT|PRAGMA)/i.test(query) || bindings.length > 0 ? db.prepare(query).all(...bindings) : (db.exec(query), []);
        return { toArray: () => rows, one: () => rows[0] };
      },
    },
    transactionSync: (work) => db.transaction(work),
  };
}

describe('migrations on a Durable Object storage', () => {
  it('keep the version in a table, and run nothing when the object starts again', () => {
    const backing = openNodeDatabase(':memory:');
    const db = new DurableObjectSqlDatabase(storageOn(backing));
    expect(db.schemaVersion()).toBe(0);
    expect(migrate(db)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(db.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(new DurableObjectSqlDatabase(storageOn(backing)))).toEqual([]);
    backing.close();
  });

  it('upgrade an object made before the migrations (every table, no version)', async () => {
    const backing = openNodeDatabase(':memory:');
    backing.exec(oldSchema());
    writeOldRows(backing);
    const db = new DurableObjectSqlDatabase(storageOn(backing));
    expect(migrate(db)).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await new AccessRepository(db).getDevice(OLD_DEVICE.id)).toEqual(OLD_DEVICE);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'sales'").get()).toBeUndefined();
    backing.close();
  });
});
