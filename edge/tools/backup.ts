import { join } from 'node:path';
import { loadAuditSecret } from '../adapters/node/audit-files.js';
import { describeBooks } from '../adapters/node/backup/books.js';
import { runBackup } from '../adapters/node/backup/run.js';
import { backupSettings } from '../adapters/node/backup/settings.js';
import { dataDirOf } from '../adapters/node/config.js';
import { importAuditKey } from '../core/auth/audit.js';

// npm run backup [-- --rotate]: a consistent copy of EDGE_DATA_DIR/edge.sqlite, also while the edge
// runs (SQLite's online backup, never a file copy), into EDGE_BACKUP_DIR (default
// EDGE_DATA_DIR/backups), kept only after it passed its check: integrity, schema version, the audit
// chain with the audit key (EDGE_AUDIT_KEY or EDGE_DATA_DIR/audit-key). --rotate then applies
// EDGE_BACKUP_KEEP, as the edge's own schedule does after each backup.
// Exit 0: kept. 1: the copy failed its check, nothing kept. 2: no backup could be made.

function fail(code: 1 | 2, message: string): never {
  console.error(message);
  process.exit(code);
}

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--rotate');
if (unknown.length > 0) fail(2, `backup NOT MADE: unknown argument ${unknown.join(' ')} (the only one is --rotate)`);

const env = process.env;
const dataDir = dataDirOf(env);
let settings: ReturnType<typeof backupSettings>;
let auditKey: CryptoKey;
try {
  settings = backupSettings(env, dataDir);
  auditKey = await importAuditKey((await loadAuditSecret(env, dataDir, { create: false })).secret);
} catch (error) {
  fail(2, `backup NOT MADE: ${error instanceof Error ? error.message : String(error)}`);
}

const run = await runBackup(settings, join(dataDir, 'edge.sqlite'), auditKey, { now: Date.now(), rotate: args.includes('--rotate') });
const { outcome } = run;
if (!outcome.ok) fail(outcome.kind === 'check_failed' ? 1 : 2, outcome.kind === 'check_failed' ? `backup FAILED its check (${outcome.rule}), nothing kept: ${outcome.message}` : `backup NOT MADE: ${outcome.message}`);
console.log([`backup kept: ${outcome.file}`, `  size: ${outcome.bytes} bytes, schema version ${outcome.schemaVersion}`, ...describeBooks(outcome.books).map((line) => `  ${line}`)].join('\n'));
if (run.removed.length > 0) console.log(`rotation (EDGE_BACKUP_KEEP) removed ${run.removed.length}: ${run.removed.join(', ')}`);
