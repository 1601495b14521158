import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDatabase, openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS, type Migration } from '../../../edge/adapters/sql/migrations.js';
import type { SqlDatabase } from '../../../edge/adapters/sql/sql-database.js';
import { OLD_AUDIT, OLD_DEVICE, OLD_PAYMENT, OLD_PRODUCT, OLD_SALE, oldSchema, schemaOf, writeOldRows } from './old-database.js';

// The store's schema moves by numbered migrations (edge/adapters/sql/migrations.ts). A file the
// edge made before them (2026-12: every table, user_version 0) must come through with all its rows.

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-sql-'));
  dirs.push(dir);
  return join(dir, 'edge.sqlite');
}

/** Opens the file unmigrated, runs check on it, closes it. */
function withDatabase<T>(file: string, check: (db: SqlDatabase) => T): T {
  const db = openNodeDatabase(file);
  try {
    return check(db);
  } finally {
    db.close();
  }
}

async function oldFile(options: { beforeProbedColumns?: boolean; receiptNumbered?: boolean } = {}): Promise<string> {
  const file = await tempFile();
  withDatabase(file, (db) => {
    db.exec(oldSchema(options.beforeProbedColumns));
    writeOldRows(db, options.receiptNumbered);
    expect(db.schemaVersion()).toBe(0);
  });
  return file;
}

const tables = (db: SqlDatabase) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((row) => row.name);

describe('the migrations', () => {
  it('are numbered 1..N in order, without gaps, and N is the latest version', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a database file of 2026-12 to the latest version with every row readable through the ports', async () => {
    const file = await oldFile();
    const store = openNodeStore(file);
    try {
      expect((await store.getPayment(OLD_PAYMENT.ruid))?.payment).toEqual(OLD_PAYMENT);
      expect((await store.lastEvent(OLD_PAYMENT.ruid))?.state).toBe('approved');
      expect(await store.lastSettledOnTerminal(OLD_PAYMENT.tid)).toEqual({ ruid: OLD_PAYMENT.ruid, state: 'approved' });
      expect(await store.getTerminal(OLD_PAYMENT.tid)).toMatchObject({ tid: OLD_PAYMENT.tid, transport: 'cloud', state: 'active' });
      expect(await store.getDevice(OLD_DEVICE.id)).toEqual(OLD_DEVICE);
      expect(await store.deviceByTokenHash(OLD_DEVICE.tokenHash)).toEqual(OLD_DEVICE);
      expect(await store.listProducts()).toEqual([OLD_PRODUCT]);
      expect(await store.auditLines()).toEqual([OLD_AUDIT]);
      expect(await store.ledger.getSale(OLD_SALE.id)).toEqual({ ...OLD_SALE, receiptNo: 1 });
      expect((await store.ledger.saleForPayment(OLD_PAYMENT.ruid))?.id).toBe(OLD_SALE.id);
      // And it goes on working: the next sale takes the next receipt number.
      expect((await store.ledger.putSale({ ...OLD_SALE, id: 'sale-2', paymentRuid: undefined })).sale.receiptNo).toBe(2);
    } finally {
      store.close();
    }
    withDatabase(file, (db) => {
      expect(db.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(tables(db)).not.toContain('sales');
      // The audit log is still append-only.
      expect(() => db.exec("UPDATE audit_log SET result = 'changed'")).toThrow(/append-only/);
    });
  });

  it('leave a migrated file alone when it is opened again', async () => {
    const file = await oldFile();
    openNodeStore(file).close();
    const before = withDatabase(file, (db) => ({ schema: schemaOf(db), version: db.schemaVersion() }));
    withDatabase(file, (db) => expect(migrate(db)).toEqual([]));
    const store = openNodeStore(file);
    expect(await store.getDevice(OLD_DEVICE.id)).toEqual(OLD_DEVICE);
    store.close();
    withDatabase(file, (db) => expect({ schema: schemaOf(db), version: db.schemaVersion() }).toEqual(before));
  });

  it('upgrade a file older still: the columns added since, receipt numbers for the sales booked before them', async () => {
    const file = await oldFile({ beforeProbedColumns: true, receiptNumbered: false });
    withDatabase(file, (db) => expect(migrate(db)).toEqual(MIGRATIONS.map((migration) => migration.version)));
    const store = openNodeStore(file);
    try {
      expect(await store.getTerminal(OLD_PAYMENT.tid)).toMatchObject({ transport: 'cloud', address: undefined });
      expect(await store.ledger.saleByReceiptNo(1)).toEqual({ ...OLD_SALE, receiptNo: 1 });
      expect((await store.ledger.putSale({ ...OLD_SALE, id: 'sale-2' })).kind).toBe('payment_booked');
    } finally {
      store.close();
    }
  });

  it('give a new database the latest version and the very schema an upgraded 2026-12 file has', async () => {
    const fresh = await tempFile();
    openNodeStore(fresh).close();
    const upgraded = await oldFile();
    openNodeStore(upgraded).close();
    const [freshSchema, freshVersion] = withDatabase(fresh, (db) => [schemaOf(db), db.schemaVersion()] as const);
    expect(freshVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(withDatabase(upgraded, schemaOf)).toEqual(freshSchema);
  });

  it('refuse a database written by a newer edge, and change nothing in it', async () => {
    const file = await tempFile();
    withDatabase(file, (db) => db.setSchemaVersion(LATEST_SCHEMA_VERSION + 1));
    expect(() => openNodeStore(file)).toThrow(/newer than this edge knows/);
    withDatabase(file, (db) => expect(tables(db)).toEqual([]));
  });

  it('run each migration with its version in one transaction: a failing one leaves the version before', async () => {
    const file = await tempFile();
    const steps: Migration[] = [
      { version: 1, name: 'one table', up: (db) => db.exec('CREATE TABLE one (id INTEGER)') },
      {
        version: 2,
        name: 'fails half way',
        up: (db) => {
          db.exec('CREATE TABLE two (id INTEGER)');
          throw new Error('half way');
        },
      },
    ];
    withDatabase(file, (db) => {
      expect(() => migrate(db, steps)).toThrow('half way');
      expect(db.schemaVersion()).toBe(1);
      expect(tables(db)).toEqual(['one']);
    });
  });
});
