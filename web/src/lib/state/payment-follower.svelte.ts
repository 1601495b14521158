import { isFinalState, SSE_PAYMENT_EVENT, type Payment } from '../../../../shared/payments.js';
import { api, eventsUrl } from '../api.js';
import { notePayment, onTillMessage, publish } from '../sync/till-sync.svelte.js';
import { activity } from './activity.svelte.js';
import { checkAuth } from './auth.svelte.js';

/**
 * Follows one payment. Across all open tabs one holds the lock `sse:<ruid>` and keeps the only
 * event stream to the edge, passing each update to the others by BroadcastChannel; when it closes,
 * the next tab takes over. EventSource reconnects by itself with Last-Event-ID, so nothing is
 * missed; it is closed after a final state (the edge ends the stream, and EventSource would
 * otherwise reconnect).
 */
export class PaymentFollower {
  payment = $state<Payment | undefined>(undefined);
  connection = $state<'connecting' | 'open' | 'reconnecting' | 'closed'>('connecting');
  missing = $state(false);
  private readonly abort = new AbortController();
  private release: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(readonly ruid: string) {}

  async start(): Promise<void> {
    activity.paymentInFlight = true;
    this.unsubscribe = onTillMessage((message) => {
      if (message.type === 'payment' && message.payment.ruid === this.ruid) this.accept(message.payment, false);
    });
    const loaded = await api.payment(this.ruid);
    if (!loaded.ok && loaded.status === 404) {
      this.missing = true;
      this.stop();
      return;
    }
    if (loaded.ok) this.accept(loaded.data.payment, false);
    if (this.payment && isFinalState(this.payment.state)) return;
    navigator.locks
      .request(`sse:${this.ruid}`, { signal: this.abort.signal }, () => this.lead())
      .catch(() => undefined);
  }

  /** Holds the stream until the payment is final or this screen goes away. */
  private lead(): Promise<void> {
    if (this.abort.signal.aborted || (this.payment && isFinalState(this.payment.state))) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const source = new EventSource(eventsUrl(this.ruid));
      this.release = () => {
        source.close();
        this.release = undefined;
        resolve();
      };
      source.addEventListener('open', () => (this.connection = 'open'));
      source.addEventListener('error', () => {
        if (this.connection !== 'closed') this.connection = 'reconnecting';
        // A stream that ends with an error may mean this device was revoked: ask.
        void checkAuth();
      });
      source.addEventListener(SSE_PAYMENT_EVENT, (event) => this.accept(JSON.parse((event as MessageEvent<string>).data) as Payment, true));
    });
  }

  /** Applies a newer view of the payment (events can repeat after a reconnect or from two tabs). */
  accept(payment: Payment, fromStream: boolean): void {
    if (this.payment && payment.updatedAt < this.payment.updatedAt) return;
    const changed = this.payment?.updatedAt !== payment.updatedAt || this.payment.state !== payment.state;
    this.payment = payment;
    if (changed) {
      void notePayment(payment);
      if (fromStream) publish({ type: 'payment', payment });
    }
    if (isFinalState(payment.state)) this.finish();
  }

  private finish(): void {
    this.release?.();
    this.connection = 'closed';
    activity.paymentInFlight = false;
  }

  stop(): void {
    this.abort.abort();
    this.unsubscribe?.();
    this.finish();
  }
}
