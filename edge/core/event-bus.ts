import type { PaymentEvent } from '../../shared/payments.js';
import type { EventBus } from './ports.js';

/** Fan-out of payment events to the streams open in this process. */
export class InMemoryEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<(event: PaymentEvent) => void>>();

  publish(event: PaymentEvent): void {
    for (const listener of this.listeners.get(event.ruid) ?? []) listener(event);
  }

  subscribe(ruid: string, listener: (event: PaymentEvent) => void): () => void {
    let set = this.listeners.get(ruid);
    if (!set) {
      set = new Set();
      this.listeners.set(ruid, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(ruid);
    };
  }
}
