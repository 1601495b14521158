import { isFinalState, SSE_PAYMENT_EVENT, type Payment } from '../../../../shared/payments.js';
import { api, eventsUrl } from '../api.js';
import { setSaleState } from '../db/sales.js';
import { activity } from './activity.svelte.js';

/**
 * Follows one payment through the edge's event stream. EventSource reconnects by itself and sends
 * Last-Event-ID, so nothing is missed; the stream is closed here after a final state (the edge ends
 * it, and EventSource would otherwise reconnect).
 */
export class PaymentFollower {
  payment = $state<Payment | undefined>(undefined);
  connection = $state<'connecting' | 'open' | 'reconnecting' | 'closed'>('connecting');
  missing = $state(false);
  private source: EventSource | undefined;

  constructor(readonly ruid: string) {}

  async start(): Promise<void> {
    const loaded = await api.payment(this.ruid);
    if (!loaded.ok && loaded.status === 404) {
      this.missing = true;
      this.connection = 'closed';
      return;
    }
    if (loaded.ok) this.accept(loaded.data.payment);
    if (this.payment && isFinalState(this.payment.state)) {
      this.connection = 'closed';
      return;
    }
    activity.paymentInFlight = true;
    const source = new EventSource(eventsUrl(this.ruid));
    this.source = source;
    source.addEventListener('open', () => (this.connection = 'open'));
    source.addEventListener('error', () => {
      if (this.connection !== 'closed') this.connection = 'reconnecting';
    });
    source.addEventListener(SSE_PAYMENT_EVENT, (event) => this.accept(JSON.parse((event as MessageEvent<string>).data) as Payment));
  }

  /** Applies a newer view of the payment (events can repeat after a reconnect). */
  accept(payment: Payment): void {
    if (this.payment && payment.updatedAt < this.payment.updatedAt) return;
    this.payment = payment;
    void setSaleState(payment.ruid, payment.state);
    if (isFinalState(payment.state)) this.stop();
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    this.connection = 'closed';
    activity.paymentInFlight = false;
  }
}
