import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AUDIT_HEAD_FILE, loadAuditSecret } from '../adapters/node/audit-files.js';
import { openReadOnly } from '../adapters/node/node-sqlite.js';
import { readAuditLines } from '../adapters/sql/sql-store.js';
import { checkHead, importAuditKey, parseAuditHead, verifyChain, type AuditLine } from '../core/auth/audit.js';

// npm run audit:verify: checks the audit log in EDGE_DATA_DIR/edge.sqlite (opened read-only) with the
// audit key (EDGE_AUDIT_KEY, or EDGE_DATA_DIR/audit-key): every line's hash and MAC in order, then its
// end against every record of EDGE_DATA_DIR/audit-head.log. A changed line, a removed one, a chain
// recomputed without the key and a cut-off tail each fail, naming the line.
// Exit 0: all fits. 1: the log does not fit (the line is named). 2: it cannot be checked (no
// database, no key).

const dataDir = resolve(process.env.EDGE_DATA_DIR ?? 'data');
const file = join(dataDir, 'edge.sqlite');

function fail(code: 1 | 2, message: string): never {
  console.error(message);
  process.exit(code);
}

if (!existsSync(file)) fail(2, `audit log NOT CHECKED: no database at ${file} (set EDGE_DATA_DIR)`);
let secret: string;
try {
  secret = (await loadAuditSecret(process.env, dataDir, { create: false })).secret;
} catch (error) {
  fail(2, `audit log NOT CHECKED: ${error instanceof Error ? error.message : String(error)}`);
}
let lines: AuditLine[];
try {
  const db = openReadOnly(file);
  try {
    lines = readAuditLines(db);
  } finally {
    db.close();
  }
} catch (error) {
  fail(2, `audit log NOT CHECKED: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

const chain = await verifyChain(lines, await importAuditKey(secret));
if (chain.broken) fail(1, `audit log BROKEN at line ${chain.broken.seq}: ${chain.broken.reason}`);

const headFile = join(dataDir, AUDIT_HEAD_FILE);
const headText = existsSync(headFile) ? await readFile(headFile, 'utf8') : '';
const parsed = parseAuditHead(headText);
if (parsed.bad) fail(1, `audit log BROKEN: ${AUDIT_HEAD_FILE} line ${parsed.bad.line} is not "count mac time" (the head file was changed): ${JSON.stringify(parsed.bad.text)}`);
const head = checkHead(chain, parsed.entries);
if (head.problem) fail(1, `audit log BROKEN at line ${head.problem.seq}: ${head.problem.reason}`);

const last = lines.at(-1);
const legacy = chain.legacy > 0 ? `; lines 1 to ${chain.legacy} were written before the audit key and are checked by their hashes, sealed by the MAC of line ${chain.legacy + 1}` : '';
console.log(`audit log OK: ${lines.length} lines, head ${last?.mac ?? last?.hash ?? '(empty)'} matches ${AUDIT_HEAD_FILE}${legacy}`);
if (head.unheaded > 0) {
  const first = lines.length - head.unheaded + 1;
  const which = head.unheaded === 1 ? `line ${first} is` : `lines ${first} to ${lines.length} are`;
  console.error(`note: ${which} after the last record of ${AUDIT_HEAD_FILE} (the edge stopped between writing a line and its head, or could not write the head: see its log); their MACs fit`);
}
