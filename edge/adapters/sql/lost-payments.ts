import type { UnconfirmedLostPayment } from '../../core/ports/ledger.js';
import { rows } from './ledger-sales.js';
import type { SqlDatabase } from './sql-database.js';

// Card payments a till holds as approved that restored books lost and myPOS did not confirm
// (POST /api/payments/lost). Kept for the owner's day close, shop-wide: each till only knows its
// own. A payment later confirmed is forgotten; the list shows those asked since the last close.

export function noteUnconfirmedLost(db: SqlDatabase, lost: UnconfirmedLostPayment): void {
  db.prepare(
    `INSERT INTO lost_payments (ruid, tid, amount_cents, currency, reason, asked_by, asked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ruid) DO UPDATE SET reason = excluded.reason, asked_by = excluded.asked_by, asked_at = excluded.asked_at, amount_cents = excluded.amount_cents`,
  ).run(lost.ruid, lost.tid, lost.amountCents, lost.currency, lost.reason, lost.askedBy, lost.askedAt);
}

export function forgetLost(db: SqlDatabase, ruid: string): void {
  db.prepare('DELETE FROM lost_payments WHERE ruid = ?').run(ruid);
}

interface Row {
  readonly ruid: string;
  readonly tid: string;
  readonly amount_cents: number;
  readonly currency: string;
  readonly reason: string;
  readonly asked_by: string;
  readonly asked_at: string;
}

/** Those asked after the last day close (all when none), the earliest first. */
export function unconfirmedLostSinceClose(db: SqlDatabase): UnconfirmedLostPayment[] {
  const found = rows<Row>(
    db,
    `SELECT ruid, tid, amount_cents, currency, reason, asked_by, asked_at FROM lost_payments
WHERE asked_at > COALESCE((SELECT closed_at FROM day_closes ORDER BY no DESC LIMIT 1), '') ORDER BY asked_at, ruid`,
    [],
  );
  return found.map((row) => ({
    ruid: row.ruid,
    tid: row.tid,
    amountCents: row.amount_cents,
    currency: row.currency,
    reason: row.reason as UnconfirmedLostPayment['reason'],
    askedBy: row.asked_by,
    askedAt: row.asked_at,
  }));
}
