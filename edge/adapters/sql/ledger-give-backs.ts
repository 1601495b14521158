import type { GiveBackClaim, GiveBackLimits, LimitExceeded } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// The give-back limits in SQLite: every card refund, cash refund and void is claimed in give_backs
// in the transaction that records it, and counted against the limits from the moment it is asked.

/** A give-back counts unless it was released, or it is a card refund whose payment ended without paying back. */
const COUNTED = `g.released = 0 AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.ruid = g.id AND g.kind = 'card_refund' AND p.state IN ('declined', 'failed', 'cancelled'))`;

const DAY_MS = 86_400_000;

/** Cents claimed against a sale (by its id, or its card payment for a claim made before it was booked). */
export function claimedOnSale(db: SqlDatabase, saleId: string | undefined, paymentRuid: string | undefined): number {
  const { total } = db
    .prepare(`SELECT COALESCE(SUM(g.cents), 0) AS total FROM give_backs g WHERE (g.sale_id = ? OR (g.payment_ruid IS NOT NULL AND g.payment_ruid = ?)) AND ${COUNTED}`)
    .get(saleId ?? '', paymentRuid ?? '') as { total: number };
  return total;
}

/** Cents an actor gave back in one currency over the last 24 hours. */
export function claimedByActor(db: SqlDatabase, actor: string, currency: string, nowMs: number): number {
  const { total } = db
    .prepare(`SELECT COALESCE(SUM(g.cents), 0) AS total FROM give_backs g WHERE g.actor = ? AND g.currency = ? AND g.at_ms > ? AND ${COUNTED}`)
    .get(actor, currency, nowMs - DAY_MS) as { total: number };
  return total;
}

export function overLimit(db: SqlDatabase, claim: GiveBackClaim, limits: GiveBackLimits): LimitExceeded | undefined {
  const saleLeft = limits.perSaleCents - claimedOnSale(db, claim.saleId, claim.paymentRuid);
  if (claim.cents > saleLeft) return { kind: 'limit', scope: 'sale', leftCents: Math.max(saleLeft, 0) };
  const dayLeft = limits.perDayCents - claimedByActor(db, claim.actor, claim.currency, limits.nowMs);
  if (claim.cents > dayLeft) return { kind: 'limit', scope: 'device_day', leftCents: Math.max(dayLeft, 0) };
  return undefined;
}

export function insertClaim(db: SqlDatabase, claim: GiveBackClaim): void {
  db.prepare('INSERT INTO give_backs (id, kind, sale_id, payment_ruid, actor, cents, currency, at_ms, released) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)').run(
    claim.id,
    claim.kind,
    claim.saleId ?? null,
    claim.paymentRuid ?? null,
    claim.actor,
    claim.cents,
    claim.currency,
    claim.atMs,
  );
}
