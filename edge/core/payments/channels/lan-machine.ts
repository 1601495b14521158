import type { Payment, PaymentState } from '../../../../shared/payments.js';
import type { PaymentReason } from '../../../../shared/reasons.js';
import type { IqomAnswer } from '../../lan/iqom-xml.js';
import type { PaymentRecord } from '../machine.js';

// The LAN payment machine (iqom Payment Interface): pure. Given a payment, what happened, and the
// time, it returns the next payment; the LAN channel stores it and does the I/O. The protocol has no
// request id and no status query, so the machine is short:
//
//   accepted ──command_written──▶ sent ──answer──▶ approved | declined | cancelled | failed
//      │                           │ └─not_sent──▶ failed (nothing reached the terminal)
//      └─restarted──▶ failed       └─lost, unreadable answer, restarted──▶ unknown
//   unknown ──resolved (a person checked the terminal)──▶ approved | declined
//
// Nothing leaves `unknown` but a person: the command is never sent again, since the terminal may
// have charged the card. The stored machine bookkeeping (machine.ts) is the cloud's and is kept as is.

export type LanEvent =
  /**
   * The command is about to be written: stored BEFORE its first byte, so that after a crash `sent`
   * means "may have been charged".
   */
  | { readonly kind: 'command_written' }
  /** No connection: nothing reached the terminal, so nothing was charged. */
  | { readonly kind: 'not_sent' }
  /** Written, but no answer came (connection cut, timeout). */
  | { readonly kind: 'lost' }
  /** The terminal's answer, as iqom-xml.ts's parseAnswer read it. */
  | { readonly kind: 'answer'; readonly answer: IqomAnswer }
  /** The edge started again and found the payment in flight: the socket it went by is gone. */
  | { readonly kind: 'restarted' }
  /** A person checked the terminal and says how an unknown payment ended. */
  | { readonly kind: 'resolved'; readonly outcome: 'approved' | 'declined'; readonly ref: string | undefined };

export type LanStep =
  /** The payment changed: store it with its event. */
  | { readonly kind: 'moved'; readonly record: PaymentRecord }
  /** The event applies but is no news (a restart finds the payment unknown already): the record as it was. */
  | { readonly kind: 'kept'; readonly record: PaymentRecord }
  /** The event does not apply to the payment's state: the record as it was. */
  | { readonly kind: 'refused'; readonly record: PaymentRecord };

interface Change {
  readonly state: PaymentState;
  readonly reason: PaymentReason;
  readonly myposStatus?: string;
  /** Absent: the payment keeps the receipt it has. */
  readonly receipt?: Readonly<Record<string, string>> | undefined;
}

function move(record: PaymentRecord, change: Change, now: number): LanStep {
  const before = record.payment;
  const payment: Payment = {
    ...before,
    state: change.state,
    reason: change.reason,
    myposStatus: change.myposStatus ?? before.myposStatus,
    receipt: change.receipt ?? before.receipt,
    updatedAt: new Date(now).toISOString(),
  };
  return { kind: 'moved', record: { payment, machine: record.machine } };
}

const refused = (record: PaymentRecord): LanStep => ({ kind: 'refused', record });

/** The terminal's reference as a receipt; an empty one says nothing. */
const refReceipt = (ref: string | undefined) => (ref ? { ref } : undefined);

function onAnswer(record: PaymentRecord, answer: IqomAnswer, now: number): LanStep {
  switch (answer.kind) {
    case 'ok':
      return move(record, { state: 'approved', reason: 'approved', receipt: { ref: answer.ref } }, now);
    case 'error': {
      // myPOS's own status: a cancellation on the terminal is not a decline by the bank.
      const cancelled = /CANCEL/i.test(answer.statusText);
      return move(
        record,
        { state: cancelled ? 'cancelled' : 'declined', reason: cancelled ? 'cardholder_cancelled' : 'declined', myposStatus: answer.status, receipt: refReceipt(answer.ref) },
        now,
      );
    }
    case 'malformed_request':
      // The terminal could not read our command: it did nothing with it.
      return move(record, { state: 'failed', reason: 'terminal_rejected_request' }, now);
    case 'unreadable':
      // An answer we cannot read may still mean the card was charged.
      return move(record, { state: 'unknown', reason: 'unknown_outcome' }, now);
  }
}

function fromAccepted(record: PaymentRecord, event: LanEvent, now: number): LanStep {
  switch (event.kind) {
    case 'command_written':
      return move(record, { state: 'sent', reason: 'waiting_for_customer' }, now);
    case 'restarted':
      // Never written: nothing reached the terminal.
      return move(record, { state: 'failed', reason: 'edge_restarted' }, now);
    default:
      return refused(record);
  }
}

function fromSent(record: PaymentRecord, event: LanEvent, now: number): LanStep {
  switch (event.kind) {
    case 'not_sent':
      return move(record, { state: 'failed', reason: 'terminal_offline' }, now);
    case 'lost':
    case 'restarted':
      // Written, maybe charged: no status query can tell, so a person will.
      return move(record, { state: 'unknown', reason: 'unknown_outcome' }, now);
    case 'answer':
      return onAnswer(record, event.answer, now);
    default:
      return refused(record);
  }
}

function fromUnknown(record: PaymentRecord, event: LanEvent, now: number): LanStep {
  switch (event.kind) {
    case 'restarted':
      // Still blocking its terminal until someone settles it: nothing new to tell.
      return { kind: 'kept', record };
    case 'resolved':
      return move(
        record,
        { state: event.outcome, reason: event.outcome === 'approved' ? 'checked_approved' : 'checked_not_charged', receipt: refReceipt(event.ref) },
        now,
      );
    default:
      return refused(record);
  }
}

/** The next LAN payment after `event` at `now` (epoch ms). A final payment refuses every event. */
export function stepLan(record: PaymentRecord, event: LanEvent, now: number): LanStep {
  switch (record.payment.state) {
    case 'accepted':
      return fromAccepted(record, event, now);
    case 'sent':
      return fromSent(record, event, now);
    case 'unknown':
      return fromUnknown(record, event, now);
    default:
      // Final, or `pin`, which a LAN payment never reaches (the terminal reports no PIN step).
      return refused(record);
  }
}
