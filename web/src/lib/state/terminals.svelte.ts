import type { Payment } from '../../../../shared/payments.js';
import { api, type Terminal } from '../api.js';
import { cardTerminals } from '../checkout/online.js';
import { newerApproval, repeatWarning, type LastApproval, type RepeatWarning } from '../checkout/repeat-charge.js';
import { stored } from '../platform/storage.js';
import { catalogue } from './catalogue.svelte.js';

// The terminals this till charges on: kept on the device (the sale screen works with no network),
// read again from the edge, with each terminal's last approved purchase so that charging the same
// amount again is asked first.

export const terminals = $state<{ list: Terminal[]; tid: string }>({ list: stored.terminals.get() ?? [], tid: stored.lastTerminal.get() ?? '' });

/** The edge's clock minus this device's, as its last answer showed (0 until known). */
let edgeOffsetMs = 0;
/** Approvals this till saw itself since the list was read (per terminal). */
const seen = new Map<string, LastApproval>();

function keep(list: readonly Terminal[], serverDate: number | undefined): void {
  terminals.list = list.filter((item) => item.state === 'active' || item.state === 'pending_code');
  stored.terminals.set(terminals.list);
  if (serverDate !== undefined) edgeOffsetMs = serverDate - Date.now();
  seen.clear();
  const card = cardTerminals(terminals.list);
  if (!card.some((item) => item.tid === terminals.tid)) terminals.tid = card[0]?.tid ?? '';
}

/** Reads the list from the edge; false when it did not answer (in time). */
export async function refreshTerminals(timeoutMs?: number): Promise<boolean> {
  const answer = await api.terminals(timeoutMs);
  if (!answer.ok) return false;
  keep(answer.data.terminals, answer.serverDate);
  return true;
}

export function chooseTerminal(tid: string): void {
  terminals.tid = tid;
}

/**
 * The terminal the next sale starts on. A terminal of another currency takes one typed amount at a
 * time: after it, the next sale starts again on a terminal of the shop's currency.
 */
export function rememberTerminal(tid: string): void {
  const used = terminals.list.find((item) => item.tid === tid);
  if (used && used.currency !== catalogue.currency) {
    const home = terminals.list.find((item) => item.currency === catalogue.currency);
    if (home) {
      terminals.tid = home.tid;
      stored.lastTerminal.set(home.tid);
    }
    return;
  }
  stored.lastTerminal.set(tid);
}

/** A purchase this till saw approved: known at once, before the list is read again. */
export function noteApproval(payment: Payment): void {
  if (payment.kind !== 'purchase' || payment.state !== 'approved') return;
  seen.set(payment.tid, newerApproval(seen.get(payment.tid), { ruid: payment.ruid, amount: payment.amount, approvedAt: payment.updatedAt }) ?? { ruid: payment.ruid, amount: payment.amount, approvedAt: payment.updatedAt });
}

/**
 * Whether charging `amountCents` on `tid` now would repeat an approval of the last two minutes. The
 * edge is asked first (any till may have charged it); with no answer within a second and a half,
 * the list kept on the device and this till's own approvals decide.
 */
export async function checkRepeat(tid: string, amountCents: number): Promise<RepeatWarning | undefined> {
  await refreshTerminals(1_500);
  const listed = terminals.list.find((item) => item.tid === tid)?.lastApproved;
  return repeatWarning(newerApproval(listed, seen.get(tid)), amountCents, Date.now() + edgeOffsetMs);
}
