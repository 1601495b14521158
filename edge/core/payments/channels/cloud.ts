import type { Cents } from '../../../../shared/money.js';
import { CHANNEL_OPERATIONS, isSettleableByHand } from '../../../../shared/operations.js';
import { isInFlight, type PaymentEvent } from '../../../../shared/payments.js';
import type { MyposGateway } from '../../mypos/gateway.js';
import { cancelRequest, purchaseRequest, refundRequest, txnStatusRequest } from '../../mypos/requests.js';
import type { KeyedMutex } from '../../keyed-mutex.js';
import type { Clock, EventBus, Logger, PaymentStore, Scheduler } from '../../ports.js';
import {
  onCancelProbeAnswer,
  onSendAnswer,
  onSettledByHand,
  onStatusAnswer,
  resumeEffect,
  type MachineTimings,
  type PaymentRecord,
  type Step,
} from '../machine.js';
import { observeCancelProbe, observeSend, observeStatus } from '../observations.js';
import type { CancelResult, LostPayment, LostPaymentAnswer, SettleResult, StartedPayment, TerminalChannel } from '../channel.js';
import { cloudLostAnswer, lostPurchase } from '../lost-payment.js';
import { cancelLocked, type CancelContext } from './cloud-cancel.js';

export interface CloudChannelDeps {
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

/**
 * Carries out the state machine's decisions: stores before it talks to myPOS, calls myPOS under
 * the terminal's lock, stores the answer with its event, publishes it, schedules the next check.
 */
export class CloudChannel implements TerminalChannel {
  readonly transport = 'cloud';
  readonly capabilities = CHANNEL_OPERATIONS.cloud;
  readonly oneAtATime = true;

  constructor(private readonly deps: CloudChannelDeps) {}

  /** Sends a payment the service has just stored, in the background. */
  start(started: StartedPayment): void {
    void this.send(started.payment.ruid);
  }

  /** Resumes its payments that were in flight when the process stopped: a same-RUID resend or a status check. */
  async recover(records: readonly PaymentRecord[]): Promise<number> {
    for (const record of records) {
      const effect = resumeEffect(record);
      this.deps.logger.info('resuming payment', { ruid: record.payment.ruid, state: record.payment.state, action: effect });
      if (effect === 'send') void this.send(record.payment.ruid);
      else if (effect === 'check_status') this.deps.scheduler.schedule(record.payment.ruid, 0, () => this.checkStatus(record.payment.ruid));
    }
    return records.length;
  }

  /** Cancels a payment in flight (MPRCancel) or voids the terminal's last approved one (MPRLastTxnVoid). */
  async cancel(ruid: string): Promise<CancelResult> {
    const context: CancelContext = {
      deps: this.deps,
      apply: (step) => this.apply(step),
      checkSoon: (id) => this.deps.scheduler.schedule(id, 0, () => this.checkStatus(id)),
    };
    return this.underLock<CancelResult>(ruid, { kind: 'not_found' }, (record) => cancelLocked(context, record));
  }

  /**
   * A person checked the terminal and says how a cloud payment left at check_terminal ended (an
   * admin: the service checks). Its status checks stop.
   */
  async resolve(ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult> {
    return this.underLock<SettleResult>(ruid, { kind: 'not_found' }, async (record) => {
      const { payment } = record;
      if (!isSettleableByHand(payment)) {
        return { kind: 'refused', message: 'Only an unknown payment that myPOS and the terminal disagree about (check_terminal) is settled by hand.' };
      }
      this.deps.scheduler.cancel(ruid);
      const step = onSettledByHand(record, outcome, ref, this.deps.clock.now());
      await this.apply(step);
      this.deps.logger.warn('payment settled by hand', { ruid, tid: payment.tid, state: step.record.payment.state });
      return { kind: 'resolved', payment: step.record.payment };
    });
  }

  /** One MPRGetTxnStatus of a payment these books lost (a restore): nothing is sent to the terminal. */
  async confirmLost(lost: LostPayment): Promise<LostPaymentAnswer> {
    const payment = lostPurchase(lost, this.transport, this.deps.clock.now());
    const result = await this.deps.gateway.call(txnStatusRequest({ tid: payment.tid, ruid: this.deps.newRuid(), ruidOriginal: payment.ruid }));
    const answer = cloudLostAnswer(payment, observeStatus(result), this.deps.clock.now(), this.deps.timings);
    this.deps.logger.info('lost payment asked of myPOS', { ruid: payment.ruid, tid: payment.tid, answer: answer.kind === 'confirmed' ? 'approved' : answer.reason });
    return answer;
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

