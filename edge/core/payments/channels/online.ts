import { CHANNEL_OPERATIONS, type Operation } from '../../../../shared/operations.js';
import { isInFlight, type Payment, type TerminalTransport } from '../../../../shared/payments.js';
import type { KeyedMutex } from '../../keyed-mutex.js';
import type { Clock, EventBus, Logger, PaymentStore, Scheduler } from '../../ports.js';
import type { CancelResult, LostPayment, LostPaymentAnswer, SettleResult, StartedPayment, TerminalChannel } from '../channel.js';
import { lostPurchase } from '../lost-payment.js';
import { INITIAL_MACHINE, type PaymentRecord } from '../machine.js';
import { stepOnline, type OnlineEvent, type OnlineOutcome, type OnlineStep } from './online-machine.js';

// Payments by link (myPOS Online Checkout, IPC): the customer pays on their own phone. The service
// stores the payment; the customer's browser takes the signed purchase form to myPOS (the edge's
// /c/:token page); the outcome comes from myPOS's notification (notify) or from IPCGetTxnStatus
// (the poll here: a Node edge behind NAT gets no notification). Many links may wait at once: this
// channel takes more than one payment at a time. Every change is the pure machine's.

/** What myPOS's checkout says of an order, verified. */
export type CheckoutStatus =
  | { readonly kind: 'outcome'; readonly outcome: OnlineOutcome; readonly trnref: string | undefined }
  | { readonly kind: 'pending' }
  | { readonly kind: 'not_found' }
  /** No verified answer (unreachable, a bad signature): asked again later. */
  | { readonly kind: 'no_answer'; readonly reason: string };

/** myPOS's Online Checkout as this channel needs it (edge/core/ipc over HTTP). */
export interface CheckoutGateway {
  /** IPCGetTxnStatus of a link's payment (its RUID is the order id; the amount and currency must match). */
  status(payment: Payment): Promise<CheckoutStatus>;
  refund(input: { readonly refundRuid: string; readonly original: Payment; readonly amountCents: number }): Promise<{ readonly answer: 'done' | 'refused' | 'no_answer'; readonly trnref: string | undefined }>;
}

export interface OnlineChannelDeps {
  readonly store: PaymentStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  /** One lock per payment: the notification, the poll and the page never step it at once. */
  readonly locks: KeyedMutex;
  readonly gateway: CheckoutGateway;
  /** How long a link may be paid (default 15 min); then IPCGetTxnStatus decides. */
  readonly linkTtlMs: number;
  /** The pace of IPCGetTxnStatus while a link waits (no notification may ever come). */
  readonly pollMs: number;
}

/** How many times IPCGetTxnStatus is asked to confirm a notification's outcome before the edge stops asking. */
const CONFIRM_TRIES = 3;

export class OnlineChannel implements TerminalChannel {
  readonly transport: TerminalTransport = 'online';
  readonly capabilities: readonly Operation[] = CHANNEL_OPERATIONS.online;
  readonly oneAtATime = false;

  constructor(private readonly deps: OnlineChannelDeps) {}

  start({ payment, original }: StartedPayment): void {
    if (payment.kind === 'refund' && original) void this.refund(payment, original);
    else this.schedulePoll(payment.ruid, this.deps.pollMs);
  }

  /** When the link stops taking payments. */
  expiresAt(payment: Payment): number {
    return Date.parse(payment.createdAt) + this.deps.linkTtlMs;
  }

  /** The link still takes a payment: in flight (nobody has an outcome yet) and not expired. */
  takesPayment(payment: Payment): boolean {
    return payment.kind === 'purchase' && isInFlight(payment.state) && payment.state !== 'unknown' && this.deps.clock.now() < this.expiresAt(payment);
  }

  /** The customer pressed Pay on the link's page: sent, if it still waits (false when it no longer takes a payment). */
  async pageOpened(ruid: string): Promise<{ readonly open: boolean; readonly payment: Payment | undefined }> {
    return this.deps.locks.run(ruid, async () => {
      const record = await this.deps.store.getPayment(ruid);
      if (!record) return { open: false, payment: undefined };
      if (!this.takesPayment(record.payment)) return { open: false, payment: record.payment };
      const step = await this.apply(record, { kind: 'page_opened' });
      return { open: true, payment: step.record.payment };
    });
  }

  /**
   * The customer came back from myPOS's page: its outcome is asked now (IPCGetTxnStatus), not at
   * the next poll — myPOS notifies only a payment, so a cancel or a decline is learnt this way.
   */
  checkSoon(payment: Payment): void {
    if (payment.kind === 'purchase' && isInFlight(payment.state) && payment.state !== 'unknown') this.schedulePoll(payment.ruid, 0);
  }

  /**
   * A verified notification: stored before the route answers myPOS `OK` (a replay is kept, not
   * stored again). The outcome it settled is then confirmed once by IPCGetTxnStatus: the two
   * sources must agree, or the payment is unknown for a person.
   */
  async notified(ruid: string, outcome: OnlineOutcome, trnref: string | undefined): Promise<OnlineStep | undefined> {
    const step = await this.locked(ruid, { kind: 'outcome', outcome, source: 'notify', trnref });
    if (step?.kind === 'moved') this.deps.scheduler.schedule(`online-confirm:${ruid}`, 0, () => this.confirm(ruid, CONFIRM_TRIES));
    return step;
  }

  /**
   * The till cancels the link: it stops taking payments while nobody has opened it (its page then
   * refuses). Once the customer has it open on myPOS's page, a payment may still come: refused
   * (customer_paying) — the outcome or the link's expiry ends it.
   */
  async cancel(ruid: string): Promise<CancelResult> {
    return this.deps.locks.run(ruid, async (): Promise<CancelResult> => {
      const record = await this.deps.store.getPayment(ruid);
      if (!record) return { kind: 'not_found' };
      const step = await this.apply(record, { kind: 'withdrawn' });
      if (step.kind === 'moved') return { kind: 'cancelled', payment: step.record.payment };
      const { payment } = record;
      if (payment.kind !== 'purchase') return { kind: 'refused', refusal: { code: 'not_supported', message: 'A refund by IPCRefund is not cancelled.' }, payment };
      if (isInFlight(payment.state)) return { kind: 'refused', refusal: { code: 'customer_paying', message: 'The customer has opened the payment page: wait for the outcome or the link\'s expiry.' }, payment };
      return { kind: 'refused', refusal: { code: 'already_final', state: payment.state, message: 'The payment has already ended.' }, payment };
    });
  }

  async resolve(ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult> {
    return this.deps.locks.run(ruid, async (): Promise<SettleResult> => {
      const record = await this.deps.store.getPayment(ruid);
      if (!record) return { kind: 'not_found' };
      const step = await this.apply(record, { kind: 'resolved', outcome, ref });
      return step.kind === 'moved' ? { kind: 'resolved', payment: step.record.payment } : { kind: 'refused', message: 'Only an unknown payment is settled by hand.' };
    });
  }

  /**
   * IPCGetTxnStatus of a link's payment these books lost (a restore). myPOS checks the order's
   * amount and currency itself; only a paid order brings the payment back.
   */
  async confirmLost(lost: LostPayment): Promise<LostPaymentAnswer> {
    const payment = lostPurchase(lost, this.transport, this.deps.clock.now());
    const status = await this.deps.gateway.status(payment);
    this.deps.logger.info('lost link payment asked of myPOS', { ruid: payment.ruid, answer: status.kind === 'outcome' ? status.outcome : status.kind });
    if (status.kind !== 'outcome') return { kind: 'not_confirmed', reason: status.kind };
    if (status.outcome !== 'approved') return { kind: 'not_confirmed', reason: status.outcome };
    const step = stepOnline({ payment, machine: INITIAL_MACHINE }, { kind: 'outcome', outcome: 'approved', source: 'status', trnref: status.trnref }, this.deps.clock.now());
    return { kind: 'confirmed', record: step.record };
  }

  /** After a restart: links still waiting are asked about again; a refund cut off may have been made. */
  async recover(records: readonly PaymentRecord[]): Promise<number> {
    for (const record of records) {
      if (record.payment.kind === 'purchase') this.schedulePoll(record.payment.ruid, 0);
      else if (record.payment.state === 'accepted') await this.locked(record.payment.ruid, { kind: 'refund_answer', answer: 'no_answer', trnref: undefined });
    }
    return records.length;
  }

  private schedulePoll(ruid: string, delayMs: number): void {
    this.deps.scheduler.schedule(`online:${ruid}`, delayMs, () => this.poll(ruid));
  }

  /** One IPCGetTxnStatus; again later while the link waits, or until a verified answer comes. */
  private async poll(ruid: string): Promise<void> {
    const record = await this.deps.store.getPayment(ruid);
    if (!record || record.payment.kind !== 'purchase' || !isInFlight(record.payment.state) || record.payment.state === 'unknown') return;
    const status = await this.deps.gateway.status(record.payment);
    const expired = this.deps.clock.now() >= this.expiresAt(record.payment);
    if (status.kind === 'outcome') {
      await this.locked(ruid, { kind: 'outcome', outcome: status.outcome, source: 'status', trnref: status.trnref });
      return;
    }
    if (status.kind === 'not_found' && expired) {
      await this.locked(ruid, { kind: 'expired' });
      return;
    }
    if (status.kind === 'no_answer') this.deps.logger.warn('IPCGetTxnStatus gave no verified answer', { ruid, reason: status.reason });
    // Still on myPOS's page (pending), or not yet opened: asked again; after the link expired, less often.
    this.schedulePoll(ruid, expired ? this.deps.pollMs * 4 : this.deps.pollMs);
  }

  /** IPCGetTxnStatus after a notification settled it: an outcome is stepped (kept when it agrees); no outcome yet is asked again a few times. */
  private async confirm(ruid: string, triesLeft: number): Promise<void> {
    const record = await this.deps.store.getPayment(ruid);
    if (!record || record.payment.kind !== 'purchase') return;
    const status = await this.deps.gateway.status(record.payment);
    if (status.kind === 'outcome') {
      const step = await this.locked(ruid, { kind: 'outcome', outcome: status.outcome, source: 'status', trnref: status.trnref });
      this.deps.logger.info('online payment confirmed by IPCGetTxnStatus', { ruid, state: step?.record.payment.state, agrees: step?.kind === 'kept' });
      return;
    }
    if (triesLeft > 1) this.deps.scheduler.schedule(`online-confirm:${ruid}`, this.deps.pollMs, () => this.confirm(ruid, triesLeft - 1));
    else this.deps.logger.warn('IPCGetTxnStatus did not confirm the notification', { ruid, answer: status.kind });
  }

  private async refund(payment: Payment, original: Payment): Promise<void> {
    const result = await this.deps.gateway.refund({ refundRuid: payment.ruid, original, amountCents: payment.amountCents });
    if (result.answer === 'no_answer') this.deps.logger.warn('IPCRefund not answered: the refund may have been made', { ruid: payment.ruid });
    await this.locked(payment.ruid, { kind: 'refund_answer', answer: result.answer, trnref: result.trnref });
  }

  private locked(ruid: string, event: OnlineEvent): Promise<OnlineStep | undefined> {
    return this.deps.locks.run(ruid, async () => {
      const record = await this.deps.store.getPayment(ruid);
      return record ? this.apply(record, event) : undefined;
    });
  }

  /** Steps the machine; a change is stored with its event, then published. */
  private async apply(record: PaymentRecord, event: OnlineEvent): Promise<OnlineStep> {
    const step = stepOnline(record, event, this.deps.clock.now());
    if (step.kind === 'refused') this.deps.logger.info('online payment event not applied', { ruid: record.payment.ruid, state: record.payment.state, event: event.kind });
    if (step.kind !== 'moved') return step;
    const saved = await this.deps.store.savePayment(step.record, true);
    if (saved) this.deps.bus.publish(saved);
    this.deps.logger.info('online payment', { ruid: step.record.payment.ruid, state: step.record.payment.state, reason: step.record.payment.reason, event: event.kind });
    // Settled, or unknown for a person: nothing more to ask.
    const { state } = step.record.payment;
    if (!isInFlight(state) || state === 'unknown') this.deps.scheduler.cancel(`online:${step.record.payment.ruid}`);
    return step;
  }
}
