import { parseAmount } from '../../../../shared/money.js';

// No accidental second charge: the same amount on the same terminal within two minutes of an
// approval is asked first ("€20.21 was approved on this terminal 40 s ago — charge again?"). The
// edge lists each terminal's last approved purchase, so every till of the shop knows. Pure.

export const REPEAT_WINDOW_MS = 120_000;

export interface LastApproval {
  readonly ruid: string;
  /** The wire amount, "20.21". */
  readonly amount: string;
  readonly approvedAt: string;
}

export interface RepeatWarning {
  readonly ruid: string;
  readonly amountCents: number;
  /** How long ago, in whole seconds. */
  readonly seconds: number;
}

/**
 * The approval a charge of `amountCents` would repeat, if any. `nowMs` is the edge's time as the
 * till estimates it (its own clock plus the offset the edge's answers showed).
 */
export function repeatWarning(last: LastApproval | undefined, amountCents: number, nowMs: number, windowMs = REPEAT_WINDOW_MS): RepeatWarning | undefined {
  if (!last) return undefined;
  const amount = parseAmount(last.amount);
  const at = Date.parse(last.approvedAt);
  if (!amount.ok || amount.value !== amountCents || Number.isNaN(at)) return undefined;
  const ago = Math.max(nowMs - at, 0);
  return ago < windowMs ? { ruid: last.ruid, amountCents, seconds: Math.round(ago / 1000) } : undefined;
}

/** The newer of two approvals on a terminal (the edge's list, and one this till saw itself since). */
export function newerApproval(a: LastApproval | undefined, b: LastApproval | undefined): LastApproval | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.approvedAt) > Date.parse(a.approvedAt) ? b : a;
}
