import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { isFinalState, SSE_PAYMENT_EVENT, type PaymentEvent } from '../../../shared/payments.js';
import type { EventBus, PaymentStore } from '../ports.js';
import type { EdgeEnv, Principal } from './auth.js';

// A payment's events as a text/event-stream: what was missed since Last-Event-ID first, then each
// change as it happens, a ": ping" comment every pingMs, and the end after a final state.

export interface SseOptions {
  readonly pingMs: number;
  /** Registers a way to end the stream from outside (a revoked device); returns its removal. */
  readonly closeWhen?: ((close: () => void) => () => void) | undefined;
  /** The open streams per device (default: one StreamSlots per event bus, i.e. per app). */
  readonly slots?: StreamSlots | undefined;
}

export const MAX_STREAMS_PER_DEVICE = 20;

/** Counts the open event streams of each holder (a device, or the admin token); a closed stream frees its slot. */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(readonly perHolder = MAX_STREAMS_PER_DEVICE) {}

  /** The slot's release (call it once the stream ends), or undefined when the holder has no slot left. */
  take(holder: string): (() => void) | undefined {
    const count = this.open.get(holder) ?? 0;
    if (count >= this.perHolder) return undefined;
    this.open.set(holder, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(holder) ?? 1) - 1;
      if (left <= 0) this.open.delete(holder);
      else this.open.set(holder, left);
    };
  }

  count(holder: string): number {
    return this.open.get(holder) ?? 0;
  }
}

const slotsByBus = new WeakMap<EventBus, StreamSlots>();

function slotsFor(bus: EventBus): StreamSlots {
  let slots = slotsByBus.get(bus);
  if (!slots) {
    slots = new StreamSlots();
    slotsByBus.set(bus, slots);
  }
  return slots;
}

function holderOf(principal: Principal | undefined): string {
  if (!principal) return 'anonymous';
  return principal.kind === 'admin' ? 'admin' : `device:${principal.device.id}`;
}

export function paymentEventStream<E extends EdgeEnv>(c: Context<E>, ruid: string, lastEventId: number, store: PaymentStore, bus: EventBus, options: SseOptions) {
  const slots = options.slots ?? slotsFor(bus);
  const release = slots.take(holderOf(c.get('principal') as Principal | undefined));
  if (!release) {
    return c.json({ error: { code: 'too_many_streams', limit: slots.perHolder, message: `This device already has ${slots.perHolder} event streams open. Close one first.` } }, 429);
  }
  c.header('X-Accel-Buffering', 'no');
  c.header('Cache-Control', 'no-cache, no-transform');
  return streamSSE(c, async (stream) => {
    try {
      await streamEvents(stream, ruid, lastEventId, store, bus, options);
    } finally {
      release();
    }
  });
}

async function streamEvents(stream: SSEStreamingApi, ruid: string, lastEventId: number, store: PaymentStore, bus: EventBus, options: SseOptions): Promise<void> {
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
}
