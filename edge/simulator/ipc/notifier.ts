import { signIpc, type IpcFields } from '../../core/ipc/signing.js';
import type { Checkout, NotifyAttempt } from './checkout-types.js';
import type { CheckoutStore } from './checkouts.js';
import { orderEchoFields, purchaseResultFields } from './messages.js';
import type { IpcSimSettings, IpcSwitches } from './settings.js';
import { formBody, wronglySigned } from './wire.js';

// IPCPurchaseNotify: a server-to-server form POST to URL_Notify, signed with the simulator's key.
// The merchant must answer HTTP 200 with the body exactly "OK" (handbook v1.4, "Response standard
// properties": every other answer is a communication error). Not answered OK: retried after the
// settings' delays (1 s, 3 s, 10 s, 30 s by default, times the time scale); none answered OK: the
// payment is reversed and IPCPurchaseRollback posted to URL_Notify once (when that switch is on).

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Notifier {
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Bumped by reset(): notifications of a previous run stop at their next step. */
  private generation = 0;

  constructor(
    private readonly settings: IpcSimSettings,
    private readonly switches: IpcSwitches,
    private readonly store: CheckoutStore,
  ) {}

  /**
   * Starts the notification of a payment just approved: signs it (IPCGetTxnStatus shows it from
   * then on) and sends it. firstAnswered settles once the first attempt is answered (at once when
   * none is sent); the retries go on by themselves.
   */
  async start(checkout: Checkout): Promise<{ readonly firstAnswered: Promise<void> }> {
    const unsigned = purchaseResultFields(checkout, 'IPCPurchaseNotify', this.settings.storeName);
    const valid = await signIpc(unsigned, this.settings.signingKey);
    checkout.lastMessage = valid;
    if (this.switches.notify === 'never') {
      checkout.notify = 'suppressed';
      return { firstAnswered: Promise.resolve() };
    }
    const wrong = this.switches.notifySignature === 'wrong';
    const fields = wrong ? await wronglySigned(unsigned, this.settings.signingKey) : valid;
    checkout.notify = 'waiting';
    const generation = this.generation;
    const firstAnswered = new Promise<void>((answered) => {
      this.later(this.switches.notifyDelayMs, () => void this.attempt(checkout, fields, wrong, 1, generation, answered));
    });
    return { firstAnswered };
  }

  reset(): void {
    this.generation += 1;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(checkout: Checkout, fields: IpcFields, wrong: boolean, attempt: number, generation: number, answered?: () => void): Promise<void> {
    if (generation !== this.generation) return answered?.();
    const record = await this.post(checkout.urlNotify, fields, 'IPCPurchaseNotify', attempt, wrong, true);
    if (generation !== this.generation) return answered?.();
    checkout.notifies.push(record);
    answered?.();
    if (record.accepted) {
      checkout.notify = 'delivered';
      return;
    }
    const retryDelay = this.settings.notifyRetryDelaysMs[attempt - 1];
    if (retryDelay !== undefined) {
      this.later(retryDelay * this.settings.timeScale, () => void this.attempt(checkout, fields, wrong, attempt + 1, generation));
      return;
    }
    checkout.notify = 'failed';
    if (this.switches.rollbackOnNotifyFailure && this.store.reverse(checkout)) await this.rollback(checkout, generation);
  }

  private async rollback(checkout: Checkout, generation: number): Promise<void> {
    const fields = await signIpc(orderEchoFields(checkout, 'IPCPurchaseRollback'), this.settings.signingKey);
    checkout.lastMessage = fields;
    const record = await this.post(checkout.urlNotify, fields, 'IPCPurchaseRollback', 1, false, false);
    if (generation === this.generation) checkout.notifies.push(record);
  }

  private async post(url: string, fields: IpcFields, method: NotifyAttempt['method'], attempt: number, wrong: boolean, mayLose: boolean): Promise<NotifyAttempt> {
    const at = Date.now();
    let httpStatus: number | undefined;
    let body: string | undefined;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(fields),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.notifyTimeoutMs),
      });
      httpStatus = response.status;
      body = (await response.text()).slice(0, 200);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const lost = mayLose && error === undefined && this.switches.lostNotifyAnswers > 0;
    if (lost) this.switches.lostNotifyAnswers -= 1;
    const accepted = !lost && httpStatus === 200 && body === 'OK';
    return { method, attempt, at, httpStatus, body, error, lost, signature: wrong ? 'wrong' : 'valid', accepted };
  }

  private later(ms: number, action: () => void): void {
    if (ms <= 0) {
      void delay(0).then(action);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}
