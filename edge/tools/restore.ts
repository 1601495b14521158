import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIT_HEAD_FILE, loadAuditSecret } from '../adapters/node/audit-files.js';
import { describeBooks } from '../adapters/node/backup/books.js';
import { RestoreError, restoreBackup } from '../adapters/node/backup/restore.js';
import { dataDirOf } from '../adapters/node/config.js';
import { openReadOnly } from '../adapters/node/node-sqlite.js';
import { LATEST_SCHEMA_VERSION } from '../adapters/sql/migrations.js';
import { readAuditLines } from '../adapters/sql/sql-store.js';
import { checkHead, importAuditKey, parseAuditHead, verifyChain } from '../core/auth/audit.js';

// npm run restore -- <backup file>: puts a backup (npm run backup, or the edge's schedule) in place
// of EDGE_DATA_DIR/edge.sqlite, with the edge stopped (refused while it runs). The file is checked
// first (integrity, schema version, the audit chain with the audit key); the current database and
// audit-head.log are kept aside, renamed with the time (never deleted); audit-head.log starts again
// from the restored chain's end, the restore is an audit line, the ledger gets a new generation.
// Then it prints what the restored books hold and checks them as `npm run audit:verify` does.
// Exit 0: restored. 1: the backup failed its check (nothing changed). 2: cannot run (the edge
// runs, no file, no key), or the restore stopped halfway (the message says where the books are).

function fail(code: 1 | 2, message: string): never {
  console.error(message);
  process.exit(code);
}

const args = process.argv.slice(2);
const backupFile = args[0];
if (args.length !== 1 || backupFile === undefined || backupFile.startsWith('-')) fail(2, 'usage: npm run restore -- <backup file>   (backups are in EDGE_BACKUP_DIR, by default EDGE_DATA_DIR/backups)');

const env = process.env;
const dataDir = dataDirOf(env);
let auditKey: CryptoKey;
try {
  auditKey = await importAuditKey((await loadAuditSecret(env, dataDir, { create: false })).secret);
} catch (error) {
  fail(2, `restore NOT DONE: ${error instanceof Error ? error.message : String(error)} (the backup's audit chain is checked with the key the edge uses)`);
}

const toStderr = (level: string) => (message: string, fields?: Record<string, unknown>) => console.error(`${level}: ${message} ${fields ? JSON.stringify(fields) : ''}`);
let result: Awaited<ReturnType<typeof restoreBackup>>;
try {
  result = await restoreBackup({ dataDir, backupFile, auditKey, now: Date.now(), logger: { info: () => undefined, warn: toStderr('warning'), error: toStderr('error') } });
} catch (error) {
  if (error instanceof RestoreError) fail(error.exitCode, error.message);
  fail(2, `restore stopped: ${error instanceof Error ? error.message : String(error)}`);
}

console.log(
  [
    `restored ${backupFile} to ${result.database} (schema version ${result.schemaVersion}${result.schemaVersion < LATEST_SCHEMA_VERSION ? `, migrated to ${LATEST_SCHEMA_VERSION}` : ''})`,
    ...describeBooks(result.books).map((line) => `  ${line}`),
    `  ledger generation: ${result.generation} (new: tills resend the sales this ledger lacks)`,
    `  audit line ${result.auditSeq} records the restore`,
    `kept aside (nothing was deleted): ${result.keptAside.length > 0 ? result.keptAside.join(', ') : 'nothing (there was no database)'}`,
  ].join('\n'),
);

// The same check as `npm run audit:verify`, so the owner knows at once that the edge will start on sound books.
const db = openReadOnly(result.database);
const lines = (() => {
  try {
    return readAuditLines(db);
  } finally {
    db.close();
  }
})();
const chain = await verifyChain(lines, auditKey);
const headFile = join(dataDir, AUDIT_HEAD_FILE);
const head = checkHead(chain, parseAuditHead(existsSync(headFile) ? await readFile(headFile, 'utf8') : '').entries);
const problem = chain.broken ?? head.problem;
if (problem) fail(2, `restored, but the audit log does not verify at line ${problem.seq}: ${problem.reason}`);
console.log(`audit log OK: ${lines.length} lines, ${AUDIT_HEAD_FILE} started again from the restored chain's end`);
