import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AuditLine } from '../../../edge/core/auth/audit.js';
import type { DeviceRecord } from '../../../edge/core/ports.js';
import type { SqlDatabase } from '../../../edge/adapters/sql/sql-database.js';
import type { Product } from '../../../shared/api.js';
import type { Payment } from '../../../shared/payments.js';
import { ledgerSale } from '../../helpers/ledger-fixtures.js';

// A database file as the edge of 2026-12 left it (before numbered migrations), with a few rows
// written the way that edge wrote them: plain SQL, no code of today's store.

const SCHEMA = readFileSync(fileURLToPath(new URL('../../fixtures/sql/schema-2026-12.sql', import.meta.url)), 'utf8');
const PROBED = '-- Added by probing PRAGMA table_info';

/** The 2026-12 schema; `beforeProbedColumns` stops before the columns that edge added by probing (an older file). */
export function oldSchema(beforeProbedColumns = false): string {
  return beforeProbedColumns ? SCHEMA.slice(0, SCHEMA.indexOf(PROBED)) : SCHEMA;
}

const AT = '2026-12-01T09:00:00.000Z';

export const OLD_PAYMENT: Payment = {
  ruid: 'RUID-OLD-1', kind: 'purchase', tid: '90000015', currency: 'EUR', amount: '12.50', amountCents: 1250, reference: undefined, originalRuid: undefined,
  state: 'approved', myposStatus: '0', responseCode: '00', reason: 'approved', receipt: undefined, createdAt: AT, updatedAt: AT,
};

export const OLD_DEVICE: DeviceRecord = { id: 'dev-1', name: 'Till 1', role: 'till', terminals: ['90000015'], tokenHash: 'token-hash-1', createdAt: AT, revokedAt: undefined };

export const OLD_PRODUCT: Product = { id: 'p-1', name: 'Coffee', priceCents: 250, vatRateBp: 2000, category: 'Drinks', barcode: undefined, active: true, sortOrder: 1, updatedAt: AT };

export const OLD_SALE = ledgerSale('sale-1', 1250, { cardCents: 1250, paymentRuid: OLD_PAYMENT.ruid, tid: OLD_PAYMENT.tid });

export const OLD_AUDIT: AuditLine = { seq: 1, at: AT, actor: 'admin', action: 'device.pair', ruid: undefined, result: 'ok', prevHash: '0'.repeat(64), hash: 'a'.repeat(64), mac: undefined };

/**
 * Writes the rows. `receiptNumbered`: the sale has its receipt number and booking (the 2026-12
 * edge wrote them with the sale); without, it is a sale booked before receipt numbers existed.
 */
export function writeOldRows(db: SqlDatabase, receiptNumbered = true): void {
  const payment = JSON.stringify(OLD_PAYMENT);
  db.prepare('INSERT INTO payments (ruid, tid, kind, state, in_flight, original_ruid, amount_cents, payment, machine, settled_at) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)').run(
    OLD_PAYMENT.ruid, OLD_PAYMENT.tid, OLD_PAYMENT.kind, OLD_PAYMENT.state, OLD_PAYMENT.amountCents, payment, JSON.stringify({ acknowledged: true }), Date.parse(AT),
  );
  db.prepare('INSERT INTO payment_events (ruid, state, at, payment) VALUES (?, ?, ?, ?)').run(OLD_PAYMENT.ruid, OLD_PAYMENT.state, AT, payment);
  db.prepare('INSERT INTO terminals (tid, currency, state, code, updated_at) VALUES (?, ?, ?, NULL, ?)').run(OLD_PAYMENT.tid, 'EUR', 'active', AT);
  db.prepare('INSERT INTO devices (id, token_hash, device) VALUES (?, ?, ?)').run(OLD_DEVICE.id, OLD_DEVICE.tokenHash, JSON.stringify(OLD_DEVICE));
  db.prepare('INSERT INTO products (id, product) VALUES (?, ?)').run(OLD_PRODUCT.id, JSON.stringify(OLD_PRODUCT));
  db.prepare('INSERT INTO ledger_sales (id, payment_ruid, sale, received_at) VALUES (?, ?, ?, ?)').run(OLD_SALE.id, OLD_PAYMENT.ruid, JSON.stringify(OLD_SALE), OLD_SALE.receivedAt);
  if (receiptNumbered) {
    db.prepare('INSERT INTO sale_numbers (sale_id, receipt_no) VALUES (?, 1)').run(OLD_SALE.id);
    db.prepare('INSERT INTO payment_bookings (payment_ruid, sale_id) VALUES (?, ?)').run(OLD_PAYMENT.ruid, OLD_SALE.id);
  }
  db.prepare('INSERT INTO audit_log (seq, at, actor, action, ruid, result, prev_hash, hash) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)').run(OLD_AUDIT.seq, OLD_AUDIT.at, OLD_AUDIT.actor, OLD_AUDIT.action, OLD_AUDIT.result, OLD_AUDIT.prevHash, OLD_AUDIT.hash);
  // The first ledger's table, which the 2026-12 edge still made and nothing read.
  db.prepare('INSERT INTO sales (id, sale, received_at) VALUES (?, ?, ?)').run('first-ledger-1', '{"cents":100}', AT);
}

/** The schema as SQLite holds it, to compare two databases. */
export function schemaOf(db: SqlDatabase): unknown[] {
  return db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
}
