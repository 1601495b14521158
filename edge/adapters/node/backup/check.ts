import { verifyChain, type AuditLine } from '../../../core/auth/audit.js';
import { LATEST_SCHEMA_VERSION } from '../../sql/migrations.js';
import type { SqlDatabase } from '../../sql/sql-database.js';
import { readAuditLines } from '../../sql/sql-store.js';
import { openReadOnly } from '../node-sqlite.js';
import { booksSummary, type BooksSummary } from './books.js';

// Whether a database file may stand in for the books: what a backup must pass before it is kept,
// and a file before it is restored. SQLite's own integrity check; a schema version this code knows
// (a newer edge's file may mean things this one does not); the edge's tables; and the audit chain,
// every line's hash and MAC with the audit key. The chain's end is not compared with audit-head.log
// here: that file records the live chain, which has moved on since any backup.

export type CheckRule = 'unreadable' | 'integrity' | 'schema_version' | 'not_edge_database' | 'audit_chain';

export type FileCheck =
  | { readonly ok: true; readonly schemaVersion: number; readonly books: BooksSummary; readonly lastAuditLine: AuditLine | undefined }
  | { readonly ok: false; readonly rule: CheckRule; readonly message: string };

/** Tables every edge database has had since 2026-12 (migration 1). */
const EDGE_TABLES = ['audit_log', 'ledger_sales', 'sale_numbers', 'day_closes'] as const;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Checks `file`; messages name `label` (the file the owner knows, when `file` is a copy of it). */
export async function checkDatabaseFile(file: string, auditKey: CryptoKey, label: string = file): Promise<FileCheck> {
  let db: SqlDatabase;
  try {
    db = openReadOnly(file);
  } catch (error) {
    return { ok: false, rule: 'unreadable', message: `${label}: cannot be opened as a SQLite database (${errorText(error)})` };
  }
  try {
    return await checkOpen(label, db, auditKey);
  } catch (error) {
    // A damaged page can also surface as an error of a query rather than in integrity_check's rows.
    return { ok: false, rule: 'unreadable', message: `${label}: cannot be read (${errorText(error)})` };
  } finally {
    db.close();
  }
}

async function checkOpen(file: string, db: SqlDatabase, auditKey: CryptoKey): Promise<FileCheck> {
  const integrity = (db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
  if (integrity.length !== 1 || integrity[0] !== 'ok') return { ok: false, rule: 'integrity', message: `${file}: SQLite's integrity check failed: ${integrity.slice(0, 3).join('; ')}` };
  const schemaVersion = db.schemaVersion();
  if (schemaVersion > LATEST_SCHEMA_VERSION) {
    return { ok: false, rule: 'schema_version', message: `${file}: schema version ${schemaVersion} is newer than this edge knows (${LATEST_SCHEMA_VERSION}): use the edge that wrote it` };
  }
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((row) => row.name));
  const missing = EDGE_TABLES.filter((table) => !tables.has(table));
  if (missing.length > 0) return { ok: false, rule: 'not_edge_database', message: `${file}: not an edge database (no table ${missing.join(', ')})` };
  const lines = readAuditLines(db);
  const chain = await verifyChain(lines, auditKey);
  if (chain.broken) return { ok: false, rule: 'audit_chain', message: `${file}: audit log broken at line ${chain.broken.seq}: ${chain.broken.reason}` };
  return { ok: true, schemaVersion, books: booksSummary(db), lastAuditLine: lines.at(-1) };
}
