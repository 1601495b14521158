import { describe, expect, it } from 'vitest';
import { openNodeStore } from '../../../edge/adapters/node/node-sqlite.js';
import type { Actor } from '../../../edge/core/auth/actor.js';
import { InMemoryEventBus } from '../../../edge/core/event-bus.js';
import type { StartedPayment, TerminalChannel } from '../../../edge/core/payments/channel.js';
import type { PaymentRecord } from '../../../edge/core/payments/machine.js';
import { PaymentService } from '../../../edge/core/payments/payment-service.js';
import type { TerminalRecord } from '../../../edge/core/ports.js';
import { CHANNEL_OPERATIONS } from '../../../shared/operations.js';
import type { PaymentEvent, TerminalTransport } from '../../../shared/payments.js';

// The one place every payment starts, whatever its channel: the caller and the channel's
// capabilities are checked here too, the payment is stored and published once, and the channel
// gets it; recovery hands each channel its own payments, in the order given.

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const admin: Actor = { name: 'admin', admin: true, terminals: ['*'] };
const till: Actor = { name: 'device:t1', admin: false, terminals: ['90000015'] };

/** A channel that does what it is told and remembers it (the real channels have their own tests). */
class RecordingChannel implements TerminalChannel {
  readonly started: StartedPayment[] = [];
  readonly recovered: string[][] = [];
  readonly capabilities;
  readonly oneAtATime;
  constructor(readonly transport: TerminalTransport, private readonly order: string[]) {
    this.capabilities = CHANNEL_OPERATIONS[transport];
    // Checkout links are many at once; a terminal does one payment at a time.
    this.oneAtATime = !this.capabilities.includes('checkout');
  }
  start(started: StartedPayment): void {
    this.started.push(started);
  }
  async recover(records: readonly PaymentRecord[]): Promise<number> {
    this.order.push(this.transport);
    this.recovered.push(records.map((record) => record.payment.ruid));
    return records.length;
  }
}

function terminal(tid: string, transport: TerminalTransport): TerminalRecord {
  return { tid, currency: 'EUR', transport, address: transport === 'lan' ? '127.0.0.1:1' : undefined, state: 'active', code: undefined, updatedAt: '2026-12-02T10:00:00.000Z' };
}

function setUp() {
  const store = openNodeStore(':memory:');
  const bus = new InMemoryEventBus();
  const events: PaymentEvent[] = [];
  for (const ruid of ['C-1', 'C-2', 'L-1']) bus.subscribe(ruid, (event) => events.push(event));
  const order: string[] = [];
  const lan = new RecordingChannel('lan', order);
  const cloud = new RecordingChannel('cloud', order);
  const online = new RecordingChannel('online', order);
  const service = new PaymentService({ store, bus, clock: { now: () => Date.parse('2026-12-02T10:00:00.000Z') }, logger: quiet, channels: [lan, cloud, online] });
  return { store, events, order, lan, cloud, online, service };
}

const purchase = (ruid: string, on: TerminalRecord, amountCents = 500) => ({ ruid, kind: 'purchase' as const, terminal: on, amountCents, reference: undefined, original: undefined });

describe('the payment service', () => {
  it('stores a payment once with its channel, publishes its first event once, and hands it to that channel only', async () => {
    const { store, events, lan, cloud, service } = setUp();
    const created = await service.create(till, purchase('C-1', terminal('90000015', 'cloud')));
    expect(created).toMatchObject({ kind: 'created', payment: { ruid: 'C-1', state: 'accepted', transport: 'cloud', amount: '5.00' } });
    expect((await store.getPayment('C-1'))?.payment.transport).toBe('cloud');
    expect(events.map((event) => event.ruid)).toEqual(['C-1']);
    expect(cloud.started.map((started) => started.payment.ruid)).toEqual(['C-1']);
    expect(lan.started).toEqual([]);
    // The same request again: answered, not stored, published or sent again. Another body: a conflict.
    expect((await service.create(till, purchase('C-1', terminal('90000015', 'cloud')))).kind).toBe('exists');
    expect((await service.create(till, purchase('C-1', terminal('90000015', 'cloud'), 600))).kind).toBe('conflict');
    expect(events).toHaveLength(1);
    expect(cloud.started).toHaveLength(1);
    // A second payment on the busy terminal is refused by the store.
    expect(await service.create(till, purchase('C-2', terminal('90000015', 'cloud')))).toEqual({ kind: 'busy', inFlightRuid: 'C-1' });
  });

  it('keeps one payment in flight per terminal, but lets checkout links be many at once', async () => {
    const { online, service } = setUp();
    const checkout = (ruid: string) => ({ ...purchase(ruid, terminal('ONLINE01', 'online')), kind: 'purchase' as const });
    // A purchase by link is the checkout operation: the channel has no 'purchase' of a terminal.
    expect((await service.create(admin, checkout('O-1'))).kind).toBe('created');
    expect((await service.create(admin, checkout('O-2'))).kind).toBe('created');
    expect(online.started.map((started) => started.payment.ruid)).toEqual(['O-1', 'O-2']);
  });

  it('refuses a caller not bound to the terminal, and what the terminal\'s channel cannot do, before storing anything', async () => {
    const { store, cloud, service } = setUp();
    expect(await service.create(till, purchase('C-2', terminal('90000016', 'cloud')))).toEqual({ kind: 'forbidden' });
    const preauth = { ...purchase('C-2', terminal('90000015', 'cloud')), kind: 'preauth' as const };
    expect(await service.create(admin, preauth)).toEqual({ kind: 'not_supported', operation: 'preauth' });
    expect(await store.getPayment('C-2')).toBeUndefined();
    expect(cloud.started).toEqual([]);
    expect((await service.create(admin, { ...preauth, ruid: 'L-1', terminal: terminal('LAN00001', 'lan') })).kind).toBe('created');
  });

  it('asks the channel to cancel only when it can, and settling by hand only of an admin', async () => {
    const { service } = setUp();
    await service.create(admin, purchase('L-1', terminal('LAN00001', 'lan')));
    expect(await service.cancel(admin, 'L-1')).toMatchObject({ kind: 'refused', refusal: { code: 'not_supported' } });
    expect(await service.cancel(till, 'L-1')).toEqual({ kind: 'forbidden' });
    expect(await service.cancel(admin, 'NONE')).toEqual({ kind: 'not_found' });
    expect(await service.resolve(till, 'L-1', 'approved', undefined)).toEqual({ kind: 'forbidden' });
    expect(await service.resolve(admin, 'L-1', 'approved', undefined)).toMatchObject({ kind: 'refused' });
  });

  it('recovers each channel\'s payments in flight in the given order, or one terminal\'s only', async () => {
    const { order, lan, cloud, online, service } = setUp();
    await service.create(admin, purchase('C-1', terminal('90000015', 'cloud')));
    await service.create(admin, purchase('C-2', terminal('90000016', 'cloud')));
    await service.create(admin, purchase('L-1', terminal('LAN00001', 'lan')));
    expect(await service.recover()).toBe(3);
    expect(order).toEqual(['lan', 'cloud']);
    expect(online.recovered).toEqual([]);
    expect(lan.recovered).toEqual([['L-1']]);
    expect(cloud.recovered.map((ruids) => [...ruids].sort())).toEqual([['C-1', 'C-2']]);
    expect(await service.recover('90000016')).toBe(1);
    expect(cloud.recovered[1]).toEqual(['C-2']);
    expect(lan.recovered).toHaveLength(1);
  });
});
