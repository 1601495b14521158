import { join, resolve } from 'node:path';
import { openReadOnly } from '../adapters/node/node-sqlite.js';
import { readAuditLines } from '../adapters/sql/sql-store.js';
import { verifyChain } from '../core/auth/audit.js';

// npm run audit:verify: recomputes the audit log's hash chain in EDGE_DATA_DIR/edge.sqlite.
// Exit 0 when every line fits; 1, naming the first line that does not, otherwise.

const file = join(resolve(process.env.EDGE_DATA_DIR ?? 'data'), 'edge.sqlite');
const db = openReadOnly(file);
const lines = readAuditLines(db);
db.close();
const broken = await verifyChain(lines);
if (broken) {
  console.error(`audit log BROKEN at line ${broken.seq}: ${broken.reason}`);
  process.exitCode = 1;
} else {
  console.log(`audit log OK: ${lines.length} lines, head ${lines.at(-1)?.hash ?? '(empty)'} (compare with the last "audit" line of the edge's log)`);
}
