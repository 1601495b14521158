import type { GatewayResult } from './gateway.js';

// Whether a subscribed terminal has reached cash-register mode (its code was typed on the device).
//
// How we read it (DECISIONS-style; the one place this reading lives). The documents give no call
// that asks "is this TID subscribed?". MPRSubscribe's page says every other command "could be
// initiated only for myPOS terminals which are already subscribed", and MPRGetTxnStatus changes
// nothing. So while a subscription waits for its code the edge asks MPRGetTxnStatus with a fresh
// ruid and a fresh, never-used ruid_original, and reads the answer:
// - a verified 4 E_INVALID_PARAMS (the usual answer about an unknown ruid_original), or 0, 13, 14
//   or 15: myPOS accepted a cash-register call for this TID and answered about the ruid_original,
//   so the terminal is in cash-register mode: `active`;
// - a verified 7 E_INACTIVE_TID, 8 E_INVALID_TID, 41 terminal not found, 42 terminal offline, or
//   any other refusal (naming the terminal or not): not yet in cash-register mode, keep waiting;
// - no answer, an answer that fails its signature or echo check: trusted for nothing, keep waiting.
// If myPOS turned out to check ruid_original before the terminal's mode (4 for an inactive TID
// too), a terminal would show ready early; its first purchase would then fail with 7 and the
// cashier message saying the code must be typed, so the mistake stays visible and costs no money.
// The terminal also becomes active on its first purchase the terminal takes (the payment processor).

export type ActivationReading = { readonly kind: 'active'; readonly evidence: string } | { readonly kind: 'waiting'; readonly reason: string };

/** Statuses that are an answer about the ruid_original, given only for a TID in cash-register mode. */
const ANSWERED_ABOUT_ORIGINAL: ReadonlySet<string> = new Set(['0', '4', '13', '14', '15']);

export function readActivation(result: GatewayResult): ActivationReading {
  if (result.ok) {
    const { code, log } = result.response.statusInfo;
    return ANSWERED_ABOUT_ORIGINAL.has(code) ? { kind: 'active', evidence: log } : { kind: 'waiting', reason: log };
  }
  const error = result.error;
  if (error.kind !== 'mypos_status') return { kind: 'waiting', reason: `${error.kind}: ${error.message}` };
  if (error.status.name === 'E_INVALID_PARAMS' || ANSWERED_ABOUT_ORIGINAL.has(error.status.code)) return { kind: 'active', evidence: error.status.log };
  return { kind: 'waiting', reason: error.status.log };
}
