import type { Cents } from '../../../shared/money.js';
import type { Operation } from '../../../shared/operations.js';
import type { Payment, PaymentKind, PaymentLine, TerminalTransport } from '../../../shared/payments.js';
import type { PaymentReference } from '../../../shared/validation.js';
import { mayUseTerminal, type Actor } from '../auth/actor.js';
import type { Clock, EventBus, Logger, PaymentStore, TerminalRecord } from '../ports.js';
import type { CancelResult, CreateResult, LostPayment, LostPaymentReason, SettleResult, TerminalChannel } from './channel.js';
import { INITIAL_MACHINE, type PaymentRecord } from './machine.js';
import { acceptedPayment, sameRequest } from './new-payment.js';

// Every payment, whatever its channel, starts here: checked against the caller and the channel's
// capabilities, stored once with its first event (or found again: a resend, a conflict, a busy
// terminal), published once, then handed to its terminal's channel.

export interface PaymentServiceDeps {
  readonly store: PaymentStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** In recovery order: after a restart the first one's payments are settled first. */
  readonly channels: readonly TerminalChannel[];
}

export interface NewPayment {
  readonly ruid: string;
  readonly kind: PaymentKind;
  readonly terminal: TerminalRecord;
  readonly amountCents: Cents;
  readonly reference: PaymentReference | undefined;
  /** The purchase refunded, or the preauth completed or released. */
  readonly original: Payment | undefined;
  /** A payment by link: the cart's lines for its page. */
  readonly lines?: readonly PaymentLine[] | undefined;
}

/** A lost payment: already held here, brought back on myPOS's word, or not confirmed by it (with why). */
export type LostResult =
  | { readonly kind: 'held' | 'confirmed'; readonly payment: Payment }
  | { readonly kind: 'not_confirmed'; readonly reason: LostPaymentReason };

/** The caller may not use the terminal, or (resolve) is not an admin. */
export type Forbidden = { readonly kind: 'forbidden' };
/** The terminal's channel cannot do this (e.g. a pre-authorisation on the myPOS cloud). */
export type NotSupported = { readonly kind: 'not_supported'; readonly operation: Operation };

const OPERATION_OF: Readonly<Record<PaymentKind, Operation>> = { purchase: 'purchase', refund: 'refund', preauth: 'preauth', completion: 'preauth', preauth_cancel: 'preauth' };

/** The operation a new payment asks of its channel: a purchase by link is a checkout. */
function operationOf(kind: PaymentKind, capabilities: readonly Operation[]): Operation {
  return kind === 'purchase' && capabilities.includes('checkout') ? 'checkout' : OPERATION_OF[kind];
}

export class PaymentService {
  private readonly channels: ReadonlyMap<TerminalTransport, TerminalChannel>;

  constructor(private readonly deps: PaymentServiceDeps) {
    this.channels = new Map(deps.channels.map((channel) => [channel.transport, channel]));
  }

  /** What the till may offer on this terminal. */
  capabilities(terminal: Pick<TerminalRecord, 'transport'>): readonly Operation[] {
    return this.channelOf(terminal.transport).capabilities;
  }

  supports(terminal: Pick<TerminalRecord, 'transport'>, operation: Operation): boolean {
    return this.capabilities(terminal).includes(operation);
  }

  async create(actor: Actor, input: NewPayment): Promise<CreateResult | Forbidden | NotSupported> {
    if (!mayUseTerminal(actor, input.terminal.tid)) return { kind: 'forbidden' };
    const channel = this.channelOf(input.terminal.transport);
    const operation = operationOf(input.kind, channel.capabilities);
    if (!channel.capabilities.includes(operation)) return { kind: 'not_supported', operation };
    const payment = acceptedPayment(
      { ruid: input.ruid, kind: input.kind, tid: input.terminal.tid, currency: input.terminal.currency, amountCents: input.amountCents, reference: input.reference, originalRuid: input.original?.ruid, transport: channel.transport, lines: input.lines },
      new Date(this.deps.clock.now()).toISOString(),
    );
    const inserted = await this.deps.store.insertPayment({ payment, machine: INITIAL_MACHINE }, channel.oneAtATime ? payment.tid : `${payment.tid}:${payment.ruid}`);
    if (inserted.kind === 'busy') return inserted;
    if (inserted.kind === 'exists') {
      const existing = inserted.record.payment;
      return { kind: sameRequest(existing, payment) ? 'exists' : 'conflict', payment: existing };
    }
    this.deps.bus.publish(inserted.event);
    this.deps.logger.info('payment accepted', { ruid: payment.ruid, tid: payment.tid, kind: payment.kind, amount: payment.amount, transport: channel.transport });
    channel.start({ payment, terminal: input.terminal, original: input.original });
    return { kind: 'created', payment };
  }

  /**
   * A purchase a till says myPOS approved, which these books do not hold (restored from an older
   * backup): asked of myPOS once, and stored approved only on its word. Nothing reaches the
   * terminal; a channel that cannot ask (LAN: the terminal's slip is the only word) refuses.
   */
  async confirmLost(actor: Actor, lost: LostPayment): Promise<LostResult | Forbidden | NotSupported> {
    if (!mayUseTerminal(actor, lost.terminal.tid)) return { kind: 'forbidden' };
    const held = await this.deps.store.getPayment(lost.ruid);
    if (held) return { kind: 'held', payment: held.payment };
    const channel = this.channelOf(lost.terminal.transport);
    if (!channel.confirmLost) return { kind: 'not_supported', operation: 'purchase' };
    const answer = await channel.confirmLost(lost);
    if (answer.kind === 'not_confirmed') return answer;
    // Its own lane: a payment stored final never holds up the terminal's next one.
    const inserted = await this.deps.store.insertPayment(answer.record, `${lost.terminal.tid}:${lost.ruid}`);
    if (inserted.kind === 'exists') return { kind: 'held', payment: inserted.record.payment };
    if (inserted.kind === 'busy') return { kind: 'not_confirmed', reason: 'pending' };
    this.deps.bus.publish(inserted.event);
    this.deps.logger.warn('lost payment stored on myPOS\'s word', { ruid: lost.ruid, tid: lost.terminal.tid, amount: answer.record.payment.amount });
    return { kind: 'confirmed', payment: answer.record.payment };
  }

  /** Stops a payment in flight or voids an approved one, when its channel can. */
  async cancel(actor: Actor, ruid: string): Promise<CancelResult | Forbidden> {
    const found = await this.deps.store.getPayment(ruid);
    if (!found) return { kind: 'not_found' };
    if (!mayUseTerminal(actor, found.payment.tid)) return { kind: 'forbidden' };
    const channel = this.channelOfPayment(found);
    if (!channel.cancel) {
      return { kind: 'refused', refusal: { code: 'not_supported', message: 'This terminal cannot be cancelled or voided from the till: cancel on the terminal, or refund.' }, payment: found.payment };
    }
    return channel.cancel(ruid);
  }

  /** An admin who checked the terminal says how an unknown payment ended. */
  async resolve(actor: Actor, ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult | Forbidden> {
    if (!actor.admin) return { kind: 'forbidden' };
    const found = await this.deps.store.getPayment(ruid);
    if (!found) return { kind: 'not_found' };
    const channel = this.channelOfPayment(found);
    if (!channel.resolve) return { kind: 'refused', message: 'This payment cannot be settled by hand.' };
    return channel.resolve(ruid, outcome, ref);
  }

  /** After a restart (or a Workers object's eviction, with tid): each channel takes its payments in flight, in order. */
  async recover(tid?: string): Promise<number> {
    const records = (await this.deps.store.inFlight()).filter((record) => tid === undefined || record.payment.tid === tid);
    let count = 0;
    for (const channel of this.deps.channels) {
      const own = records.filter((record) => this.channelOfPayment(record) === channel);
      if (own.length > 0) count += await channel.recover(own);
    }
    return count;
  }

  private channelOfPayment(record: PaymentRecord): TerminalChannel {
    return this.channelOf(record.payment.transport ?? 'cloud');
  }

  private channelOf(transport: TerminalTransport): TerminalChannel {
    const channel = this.channels.get(transport);
    if (!channel) throw new Error(`no payment channel for ${transport} terminals`);
    return channel;
  }
}
