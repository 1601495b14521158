import type { PaymentInput } from '../../../shared/api.js';
import type { Cents } from '../../../shared/money.js';
import { isInFlight, reasonOf, type Payment, type PaymentEvent, type PaymentKind, type PaymentState } from '../../../shared/payments.js';
import type { PaymentReason } from '../../../shared/reasons.js';
import type { StatusInfo } from '../../../shared/status-codes.js';
import type { MyposGateway } from '../mypos/gateway.js';
import { cancelRequest, lastTxnVoidRequest, purchaseRequest, refundRequest, txnStatusRequest } from '../mypos/requests.js';
import type { KeyedMutex } from '../keyed-mutex.js';
import type { Clock, EventBus, Logger, PaymentStore, Scheduler } from '../ports.js';
import {
  INITIAL_MACHINE,
  onCancelled,
  onCancelProbeAnswer,
  onSendAnswer,
  onSettledByHand,
  onStatusAnswer,
  onVoided,
  resumeEffect,
  type MachineTimings,
  type PaymentRecord,
  type Step,
} from './machine.js';
import { acceptedPayment, sameRequest } from './new-payment.js';
import { isInvalidParams, observeCancelProbe, observeSend, observeStatus } from './observations.js';
import { checkRefundable, type Refusal } from './refundable.js';

export interface ProcessorDeps {
  readonly store: PaymentStore;
  readonly gateway: MyposGateway;
  readonly bus: EventBus;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly locks: KeyedMutex;
  readonly timings: MachineTimings;
  readonly capCents: Cents;
  readonly newRuid: () => string;
}

export type CreateResult =
  | { readonly kind: 'created' | 'exists'; readonly payment: Payment }
  | { readonly kind: 'conflict'; readonly payment: Payment }
  | { readonly kind: 'busy'; readonly inFlightRuid: string };

export type CancelResult =
  | { readonly kind: 'cancelled' | 'voided'; readonly payment: Payment }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'refused'; readonly refusal: CancelRefusal; readonly payment: Payment };

/**
 * Why a cancel or void was refused: the error body's code with its data (the till words it); the
 * message is for the log and API developers.
 */
export type CancelRefusal =
  | { readonly code: 'pin_entry' | 'not_last' | 'no_answer'; readonly message: string }
  | { readonly code: 'already_final'; readonly state: PaymentState; readonly message: string }
  | { readonly code: 'mypos_refused'; readonly status: string; readonly reason: PaymentReason; readonly message: string };

function myposRefused(status: StatusInfo): CancelRefusal {
  return { code: 'mypos_refused', status: status.code, reason: status.reason, message: status.log };
}

export type SettleResult = { readonly kind: 'resolved'; readonly payment: Payment } | { readonly kind: 'refused'; readonly message: string } | { readonly kind: 'not_found' };

interface NewPayment extends PaymentInput {
  readonly kind: PaymentKind;
  readonly currency: string;
  readonly originalRuid: string | undefined;
}

/**
 * Carries out the state machine's decisions: stores before it talks to myPOS, calls myPOS under
 * the terminal's lock, stores the answer with its event, publishes it, schedules the next check.
 */
export class PaymentProcessor {
  constructor(private readonly deps: ProcessorDeps) {}

  async create(input: NewPayment): Promise<CreateResult> {
    const { store, clock } = this.deps;
    const now = new Date(clock.now()).toISOString();
    const payment = acceptedPayment(input, now);
    const inserted = await store.insertPayment({ payment, machine: INITIAL_MACHINE });
    if (inserted.kind === 'busy') return inserted;
    if (inserted.kind === 'exists') {
      const existing = inserted.record.payment;
      return { kind: sameRequest(existing, payment) ? 'exists' : 'conflict', payment: existing };
    }
    this.deps.bus.publish(inserted.event);
    this.deps.logger.info('payment accepted', { ruid: payment.ruid, tid: payment.tid, kind: payment.kind, amount: payment.amount });
    void this.send(payment.ruid);
    return { kind: 'created', payment };
  }

  /** A refund of an approved purchase, on its terminal, never more than what is left of it. */
  async createRefund(input: { ruid: string; originalRuid: string; amountCents: Cents }): Promise<CreateResult | Refusal> {
    const checked = await checkRefundable(this.deps.store, input);
    if (checked.kind === 'invalid') return checked;
    return this.create({ ...input, kind: 'refund', tid: checked.original.tid, currency: checked.original.currency, reference: undefined });
  }

  /**
   * Resumes every payment that was in flight when the process stopped (LAN ones are the LAN
   * service's); with tid, only that terminal's (a Workers terminal object after eviction).
   */
  async recover(tid?: string): Promise<number> {
    const records = (await this.deps.store.inFlight()).filter((record) => record.payment.transport !== 'lan' && (tid === undefined || record.payment.tid === tid));
    for (const record of records) {
      const effect = resumeEffect(record);
      this.deps.logger.info('resuming payment', { ruid: record.payment.ruid, state: record.payment.state, action: effect });
      if (effect === 'send') void this.send(record.payment.ruid);
      else if (effect === 'check_status') this.deps.scheduler.schedule(record.payment.ruid, 0, () => this.checkStatus(record.payment.ruid));
    }
    return records.length;
  }

  async cancel(ruid: string): Promise<CancelResult> {
    return this.underLock<CancelResult>(ruid, { kind: 'not_found' }, async (record) => {
      const { payment } = record;
      if (payment.state === 'approved') return this.voidLast(record);
      // During the PIN myPOS is asked too: it may still stop the request, or answer that the card
      // transaction is in progress (17), which the cashier hears as "cancel on the terminal".
      if (payment.state !== 'accepted' && payment.state !== 'sent' && payment.state !== 'pin' && payment.state !== 'unknown') {
        return { kind: 'refused', refusal: { code: 'already_final', state: payment.state, message: `The payment is already ${payment.state}.` }, payment };
      }
      const result = await this.deps.gateway.call(cancelRequest({ tid: payment.tid, ruid: this.deps.newRuid(), ruidOriginal: ruid }));
      // Cancelled on myPOS's 0; an answer that the card transaction is in progress (17, 15, a PIN
      // code) is not a cancellation. A 4 for a request myPOS never acknowledged is one fact that it
      // never received it: cancelled (nothing charged, and it will not be sent now) only when
      // MPRGetTxnStatus of the RUID answers 4 too.
      const stopped = result.ok && result.response.statusInfo.kind === 'ok';
      const neverReceived = !stopped && isInvalidParams(result) && !record.machine.acknowledged && (await this.statusAlsoNotFound(payment));
      if (stopped || neverReceived) {
        this.deps.scheduler.cancel(ruid);
        const step = onCancelled(record, this.deps.clock.now());
        await this.apply(step);
        return { kind: 'cancelled', payment: step.record.payment };
      }
      this.deps.scheduler.schedule(ruid, 0, () => this.checkStatus(ruid));
      if (isInvalidParams(result) && !record.machine.acknowledged) {
        return { kind: 'refused', refusal: { code: 'no_answer', message: 'myPOS did not confirm the cancellation: MPRCancel answered 4 but MPRGetTxnStatus did not. We are checking the payment.' }, payment };
      }
      if (result.ok) {
        return payment.state === 'pin' || result.response.statusInfo.kind === 'pin'
          ? { kind: 'refused', refusal: { code: 'pin_entry', message: 'The customer is entering the PIN. Cancel on the terminal.' }, payment }
          : { kind: 'refused', refusal: myposRefused(result.response.statusInfo), payment };
      }
      if (!result.ok && result.error.kind === 'mypos_status') {
        return { kind: 'refused', refusal: myposRefused(result.error.status), payment };
      }
      return { kind: 'refused', refusal: { code: 'no_answer', message: 'myPOS did not confirm the cancellation. We are checking the payment.' }, payment };
    });
  }

  /** The cashier's cancel answered 4: does MPRGetTxnStatus of the RUID answer 4 too (under the terminal's lock)? */
  private async statusAlsoNotFound(payment: Payment): Promise<boolean> {
    const observation = observeStatus(await this.deps.gateway.call(txnStatusRequest({ tid: payment.tid, ruid: this.deps.newRuid(), ruidOriginal: payment.ruid })));
    const agree = observation.kind === 'not_found';
    this.deps.logger.info(agree ? 'MPRCancel and MPRGetTxnStatus both answered 4: myPOS never received the payment' : 'MPRCancel answered 4 but MPRGetTxnStatus did not agree', {
      ruid: payment.ruid,
      tid: payment.tid,
      status: observation.kind === 'uncertain' ? observation.reason : observation.kind,
    });
    return agree;
  }

  /**
   * A person checked the terminal and says how a cloud payment left at check_terminal ended (an
   * admin: the route checks). Its status checks stop; a LAN payment is the LAN service's.
   */
  async settleByHand(ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult> {
    return this.underLock<SettleResult>(ruid, { kind: 'not_found' }, async (record) => {
      const { payment } = record;
      if (payment.transport === 'lan' || payment.state !== 'unknown' || reasonOf(payment) !== 'check_terminal') {
        return { kind: 'refused', message: 'Only an unknown payment that myPOS and the terminal disagree about (check_terminal) is settled by hand.' };
      }
      this.deps.scheduler.cancel(ruid);
      const step = onSettledByHand(record, outcome, ref, this.deps.clock.now());
      await this.apply(step);
      this.deps.logger.warn('payment settled by hand', { ruid, tid: payment.tid, state: step.record.payment.state });
      return { kind: 'resolved', payment: step.record.payment };
    });
  }

  /**
   * Runs work on the payment as stored under its terminal's lock (read again inside it: the state
   * may have moved while the lock was awaited); `missing` when there is no such payment.
   */
  private async underLock<T>(ruid: string, missing: T, work: (record: PaymentRecord) => Promise<T>): Promise<T> {
    const first = await this.deps.store.getPayment(ruid);
    if (!first) return missing;
    return this.deps.locks.run(first.payment.tid, async () => {
      const record = await this.deps.store.getPayment(ruid);
      return record ? work(record) : missing;
    });
  }

  private async voidLast(record: PaymentRecord): Promise<CancelResult> {
    const { payment } = record;
    const last = await this.deps.store.lastSettledOnTerminal(payment.tid);
    if (last?.ruid !== payment.ruid) {
      return { kind: 'refused', refusal: { code: 'not_last', message: 'Only the last transaction on the terminal can be voided. Refund it instead.' }, payment };
    }
    const result = await this.deps.gateway.call(lastTxnVoidRequest({ tid: payment.tid, ruid: this.deps.newRuid(), ruidOriginal: payment.ruid, amountCents: payment.amountCents }));
    if (!result.ok) {
      this.deps.logger.warn('void not confirmed', { ruid: payment.ruid, error: result.error.kind });
      const refusal: CancelRefusal =
        result.error.kind === 'mypos_status' ? myposRefused(result.error.status) : { code: 'no_answer', message: 'myPOS did not confirm the void. Check the terminal before trying again.' };
      return { kind: 'refused', refusal, payment };
    }
    const step = onVoided(record, this.deps.clock.now());
    await this.apply(step);
    return { kind: 'voided', payment: step.record.payment };
  }

  private async send(ruid: string): Promise<void> {
    try {
      const first = await this.deps.store.getPayment(ruid);
      if (first) await this.deps.locks.run(first.payment.tid, () => this.sendLocked(ruid));
    } catch (error) {
      this.deps.logger.error('sending a payment failed', { ruid, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Sends MPRPurchase or MPRRefund, unless the payment left `accepted` meanwhile (cancelled). */
  private async sendLocked(ruid: string): Promise<void> {
    const record = await this.deps.store.getPayment(ruid);
    if (!record || record.payment.state !== 'accepted') return;
    const { payment } = record;
    const request =
      payment.kind === 'purchase'
        ? purchaseRequest({ tid: payment.tid, ruid: payment.ruid, amountCents: payment.amountCents, reference: payment.reference }, this.deps.capCents)
        : refundRequest({ tid: payment.tid, ruid: payment.ruid, amountCents: payment.amountCents }, this.deps.capCents);
    const observation = observeSend(await this.deps.gateway.call(request));
    if (observation.kind === 'refused' && observation.refusal.status === '41') await this.markTerminal(payment.tid, 'not_subscribed');
    if (observation.kind === 'taken' || observation.kind === 'pin') await this.markTerminal(payment.tid, 'active');
    await this.apply(onSendAnswer(record, observation, this.deps.clock.now(), this.deps.timings));
  }

  /**
   * One MPRGetTxnStatus under the terminal's lock. When the login's budget is tight the poll
   * waits for it outside the lock, so the terminal's cancel is never held up behind it (and a
   * purchase or cancel of any terminal goes before it in the gateway's queue).
   */
  private async checkStatus(ruid: string): Promise<void> {
    for (;;) {
      const first = await this.deps.store.getPayment(ruid);
      if (!first) return;
      const done = await this.deps.locks.run(first.payment.tid, async () => {
        const record = await this.deps.store.getPayment(ruid);
        // Settled meanwhile (by hand, a cancel): nothing to ask.
        if (!record || !isInFlight(record.payment.state)) return true;
        const result = await this.deps.gateway.callIfRoom(txnStatusRequest({ tid: record.payment.tid, ruid: this.deps.newRuid(), ruidOriginal: ruid }));
        if (!result) return false;
        await this.apply(onStatusAnswer(record, observeStatus(result), this.deps.clock.now(), this.deps.timings));
        return true;
      });
      if (done) return;
      await this.deps.gateway.ready('MPRGetTxnStatus');
    }
  }

  /** Stores the step, then carries out its effects. Always called under the terminal's lock. */
  private async apply(step: Step): Promise<PaymentEvent | undefined> {
    const { payment } = step.record;
    const event = await this.deps.store.savePayment(step.record, step.changed);
    if (event) {
      this.deps.bus.publish(event);
      this.deps.logger.info('payment state', { ruid: payment.ruid, tid: payment.tid, state: payment.state, reason: step.record.machine.log });
    } else if (step.record.machine.log !== undefined && step.effects.some((effect) => effect.type === 'confirm_not_received')) {
      this.deps.logger.info('payment check', { ruid: payment.ruid, tid: payment.tid, state: payment.state, reason: step.record.machine.log });
    }
    for (const effect of step.effects) {
      if (effect.type === 'check_status') this.deps.scheduler.schedule(payment.ruid, effect.delayMs, () => this.checkStatus(payment.ruid));
      else await this.confirmNotReceived(step.record);
    }
    return event;
  }

  /**
   * MPRGetTxnStatus answered 4 for a request myPOS never acknowledged: MPRCancel of its RUID is the
   * second fact (stored as sent before the call; under the terminal's lock, like every apply).
   */
  private async confirmNotReceived(record: PaymentRecord): Promise<void> {
    const { payment } = record;
    const result = await this.deps.gateway.call(cancelRequest({ tid: payment.tid, ruid: this.deps.newRuid(), ruidOriginal: payment.ruid }));
    const observation = observeCancelProbe(result);
    this.deps.logger.info('MPRCancel to confirm a request myPOS does not know', {
      ruid: payment.ruid,
      tid: payment.tid,
      answer: observation.kind,
      reason: observation.kind === 'other' ? observation.reason : undefined,
    });
    await this.apply(onCancelProbeAnswer(record, observation, this.deps.clock.now(), this.deps.timings));
  }

  private async markTerminal(tid: string, state: 'active' | 'not_subscribed'): Promise<void> {
    const terminal = await this.deps.store.getTerminal(tid);
    if (!terminal || terminal.state === state || (state === 'active' && terminal.state === 'unsubscribing')) return;
    await this.deps.store.saveTerminal({ ...terminal, state, code: state === 'active' ? undefined : terminal.code, updatedAt: new Date(this.deps.clock.now()).toISOString() });
  }
}

