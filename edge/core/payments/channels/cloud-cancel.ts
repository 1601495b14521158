import { isInFlight, type Payment } from '../../../../shared/payments.js';
import type { StatusInfo } from '../../../../shared/status-codes.js';
import { cancelRequest, lastTxnVoidRequest, txnStatusRequest } from '../../mypos/requests.js';
import type { CancelRefusal, CancelResult } from '../channel.js';
import { onCancelled, onVoided, type PaymentRecord, type Step } from '../machine.js';
import { isInvalidParams, observeStatus } from '../observations.js';
import type { CloudChannelDeps } from './cloud.js';

// The cashier's cancel on the myPOS cloud: MPRCancel of a payment in flight, MPRLastTxnVoid of the
// terminal's last approved one. Runs under the terminal's lock (the channel holds it).

export interface CancelContext {
  readonly deps: CloudChannelDeps;
  /** Stores a step of the machine and carries out its effects (the channel's apply). */
  apply(step: Step): Promise<unknown>;
  /** Asks MPRGetTxnStatus of the payment soon. */
  checkSoon(ruid: string): void;
}

function myposRefused(status: StatusInfo): CancelRefusal {
  return { code: 'mypos_refused', status: status.code, reason: status.reason, message: status.log };
}

export async function cancelLocked(ctx: CancelContext, record: PaymentRecord): Promise<CancelResult> {
  const { deps } = ctx;
  const { payment } = record;
  const ruid = payment.ruid;
  if (payment.state === 'approved') return voidLast(ctx, record);
  // During the PIN myPOS is asked too: it may still stop the request, or answer that the card
  // transaction is in progress (17), which the cashier hears as "cancel on the terminal".
  if (!isInFlight(payment.state)) {
    return { kind: 'refused', refusal: { code: 'already_final', state: payment.state, message: `The payment is already ${payment.state}.` }, payment };
  }
  const result = await deps.gateway.call(cancelRequest({ tid: payment.tid, ruid: deps.newRuid(), ruidOriginal: ruid }));
  // Cancelled on myPOS's 0; an answer that the card transaction is in progress (17, 15, a PIN
  // code) is not a cancellation. A 4 for a request myPOS never acknowledged is one fact that it
  // never received it: cancelled (nothing charged, and it will not be sent now) only when
  // MPRGetTxnStatus of the RUID answers 4 too.
  const stopped = result.ok && result.response.statusInfo.kind === 'ok';
  const neverReceived = !stopped && isInvalidParams(result) && !record.machine.acknowledged && (await statusAlsoNotFound(deps, payment));
  if (stopped || neverReceived) {
    deps.scheduler.cancel(ruid);
    const step = onCancelled(record, deps.clock.now());
    await ctx.apply(step);
    return { kind: 'cancelled', payment: step.record.payment };
  }
  ctx.checkSoon(ruid);
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
}

/** The cashier's cancel answered 4: does MPRGetTxnStatus of the RUID answer 4 too (under the terminal's lock)? */
async function statusAlsoNotFound(deps: CloudChannelDeps, payment: Payment): Promise<boolean> {
  const observation = observeStatus(await deps.gateway.call(txnStatusRequest({ tid: payment.tid, ruid: deps.newRuid(), ruidOriginal: payment.ruid })));
  const agree = observation.kind === 'not_found';
  deps.logger.info(agree ? 'MPRCancel and MPRGetTxnStatus both answered 4: myPOS never received the payment' : 'MPRCancel answered 4 but MPRGetTxnStatus did not agree', {
    ruid: payment.ruid,
    tid: payment.tid,
    status: observation.kind === 'uncertain' ? observation.reason : observation.kind,
  });
  return agree;
}

async function voidLast(ctx: CancelContext, record: PaymentRecord): Promise<CancelResult> {
const { deps } = ctx;
  const { payment } = record;
  const last = await deps.store.lastSettledOnTerminal(payment.tid);
  if (last?.ruid !== payment.ruid) {
    return { kind: 'refused', refusal: { code: 'not_last', message: 'Only the last transaction on the terminal can be voided. Refund it instead.' }, payment };
  }
  const result = await deps.gateway.call(lastTxnVoidRequest({ tid: payment.tid, ruid: deps.newRuid(), ruidOriginal: payment.ruid, amountCents: payment.amountCents }));
  if (!result.ok) {
    deps.logger.warn('void not confirmed', { ruid: payment.ruid, error: result.error.kind });
    const refusal: CancelRefusal =
      result.error.kind === 'mypos_status' ? myposRefused(result.error.status) : { code: 'no_answer', message: 'myPOS did not confirm the void. Check the terminal before trying again.' };
    return { kind: 'refused', refusal, payment };
  }
  const step = onVoided(record, deps.clock.now());
  await ctx.apply(step);
  return { kind: 'voided', payment: step.record.payment };
}
