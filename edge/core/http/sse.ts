import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { isFinalState, SSE_PAYMENT_EVENT, type PaymentEvent } from '../../../shared/payments.js';
import type { EventBus, PaymentStore } from '../ports.js';

// A payment's events as a text/event-stream: what was missed since Last-Event-ID first, then each
// change as it happens, a ": ping" comment every pingMs, and the end after a final state.

export interface SseOptions {
  readonly pingMs: number;
  /** Registers a way to end the stream from outside (a revoked device); returns its removal. */
  readonly closeWhen?: ((close: () => void) => () => void) | undefined;
}

export function paymentEventStream(c: Context, ruid: string, lastEventId: number, store: PaymentStore, bus: EventBus, options: SseOptions) {
  c.header('X-Accel-Buffering', 'no');
  c.header('Cache-Control', 'no-cache, no-transform');
  return streamSSE(c, async (stream) => {
    const queue: PaymentEvent[] = [];
    let wake: (() => void) | undefined;
    let aborted = false;
    // Subscribe before reading the store, so no event falls between the two.
    const unsubscribe = bus.subscribe(ruid, (event) => {
      queue.push(event);
      wake?.();
    });
    const stop = () => {
      aborted = true;
      wake?.();
    };
    stream.onAbort(stop);
    const removeCloser = options.closeWhen?.(stop);
    let lastSent = lastEventId;
    let done = false;
    const send = async (event: PaymentEvent, force = false) => {
      if (event.id <= lastSent && !force) return;
      await stream.writeSSE({ event: SSE_PAYMENT_EVENT, id: String(event.id), data: JSON.stringify(event.payment) });
      lastSent = Math.max(lastSent, event.id);
      if (isFinalState(event.state)) done = true;
    };
    try {
      const missed = await store.eventsAfter(ruid, lastEventId);
      if (missed.length === 0) {
        // Nothing missed: the current state, at once, so the client knows where it stands.
        const last = await store.lastEvent(ruid);
        if (last) await send(last, true);
      }
      for (const event of missed) await send(event);
      while (!done && !aborted) {
        if (queue.length === 0) {
          const pinged = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), options.pingMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = undefined;
          if (pinged && !aborted) await stream.write(': ping\n\n');
        }
        while (queue.length > 0 && !done) {
          const event = queue.shift();
          if (event) await send(event);
        }
      }
    } finally {
      unsubscribe();
      removeCloser?.();
    }
  });
}
