import { join } from 'node:path';
import { openReadOnly } from '../../edge/adapters/node/node-sqlite.js';

// The myPOS exchanges a running Node edge stored for one RUID, read straight from its database
// file (a second, read-only connection): the store's ports have no such query, since only tests
// and audits ask it.

export interface StoredExchangeRow {
  readonly phase: string;
  readonly method: string;
  readonly attempt: number;
  readonly verified: number | null;
  readonly verified_as: string | null;
  readonly error: string | null;
  readonly response_xml: string | null;
}

/** Oldest first. */
export function storedExchanges(edge: { readonly config: { readonly dataDir: string } }, ruid: string): StoredExchangeRow[] {
  const db = openReadOnly(join(edge.config.dataDir, 'edge.sqlite'));
  try {
    return db.prepare('SELECT phase, method, attempt, verified, verified_as, error, response_xml FROM exchanges WHERE ruid = ? ORDER BY id').all(ruid) as StoredExchangeRow[];
  } finally {
    db.close();
  }
}
