import type { Cents } from '../../../shared/money.js';
import type { Payment, PaymentKind, PaymentState } from '../../../shared/payments.js';
import type { PaymentReason } from '../../../shared/reasons.js';
import type { PaymentReference } from '../../../shared/validation.js';
import type { KeyedMutex } from '../keyed-mutex.js';
import { INITIAL_MACHINE, type PaymentRecord } from '../payments/machine.js';
import { acceptedPayment, sameRequest } from '../payments/new-payment.js';
import type { CreateResult } from '../payments/processor.js';
import type { Clock, EventBus, Logger, PaymentStore, TerminalRecord } from '../ports.js';
import { buildCommand, parseAnswer, type IqomCommand, type ReceiptOptions } from './iqom-xml.js';
import type { LanLinks } from './lan-link.js';

// Payments on a LAN terminal (iqom Payment Interface). The protocol has no request id and no status
// query: a command is answered on its connection or never. So the edge stores the payment, marks it
// `sent` before writing the command, and when the connection breaks after that the payment is
// `unknown` — it is never sent again, and the terminal stays blocked until a person checks the
// terminal and settles it (resolve). One command at a time per terminal: the store's one-in-flight
// rule refuses a second (409 terminal_busy), and the link queues at the socket.

export interface LanPaymentDeps {
  readonly store: PaymentStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly locks: KeyedMutex;
  readonly links: LanLinks;
  readonly receipts: ReceiptOptions;
}

export interface NewLanPayment {
  readonly ruid: string;
  readonly kind: PaymentKind;
  readonly terminal: TerminalRecord;
  readonly amountCents: Cents;
  readonly reference: PaymentReference | undefined;
  /** The purchase refunded, or the preauth completed or released. */
  readonly original: Payment | undefined;
}

const COMMAND_OF: Readonly<Record<PaymentKind, IqomCommand['kind']>> = {
  purchase: 'pay',
  refund: 'refund',
  preauth: 'preauth',
  completion: 'preauthcompletion',
  preauth_cancel: 'preauthcancel',
};

export class LanPaymentService {
  constructor(private readonly deps: LanPaymentDeps) {}

  async create(input: NewLanPayment): Promise<CreateResult> {
    const now = new Date(this.deps.clock.now()).toISOString();
    const payment = acceptedPayment(
      { ruid: input.ruid, kind: input.kind, tid: input.terminal.tid, currency: input.terminal.currency, amountCents: input.amountCents, reference: input.reference, originalRuid: input.original?.ruid, transport: 'lan' },
      now,
    );
    const inserted = await this.deps.store.insertPayment({ payment, machine: INITIAL_MACHINE });
    if (inserted.kind === 'busy') return inserted;
    if (inserted.kind === 'exists') {
      const existing = inserted.record.payment;
      return { kind: sameRequest(existing, payment) ? 'exists' : 'conflict', payment: existing };
    }
    this.deps.bus.publish(inserted.event);
    this.deps.logger.info('lan payment accepted', { ruid: payment.ruid, tid: payment.tid, kind: payment.kind, amount: payment.amount });
    const address = input.terminal.address ?? '';
    void this.deps.locks.run(payment.tid, () => this.send(payment.ruid, address, input.original)).catch((error: unknown) => {
      this.deps.logger.error('lan payment failed unexpectedly', { ruid: payment.ruid, error: error instanceof Error ? error.message : String(error) });
    });
    return { kind: 'created', payment };
  }

  /** After a restart: a command never written failed; one written may have been charged — unknown. */
  async recover(): Promise<number> {
    let count = 0;
    for (const record of await this.deps.store.inFlight()) {
      if (record.payment.transport !== 'lan') continue;
      count += 1;
      if (record.payment.state === 'accepted') await this.settle(record, 'failed', { reason: 'edge_restarted' });
      else if (record.payment.state !== 'unknown') await this.settle(record, 'unknown', { reason: 'unknown_outcome' });
    }
    return count;
  }

  /** A person checked the terminal and says how an unknown LAN payment ended. */
  async resolve(ruid: string, state: 'approved' | 'declined', ref: string | undefined): Promise<{ kind: 'resolved'; payment: Payment } | { kind: 'refused'; message: string } | { kind: 'not_found' }> {
    const first = await this.deps.store.getPayment(ruid);
    if (!first) return { kind: 'not_found' };
    return this.deps.locks.run(first.payment.tid, async () => {
      const record = await this.deps.store.getPayment(ruid);
      if (!record) return { kind: 'not_found' };
      if (record.payment.transport !== 'lan' || record.payment.state !== 'unknown') {
        return { kind: 'refused', message: 'Only an unknown payment on a LAN terminal is settled by hand.' };
      }
      const payment = await this.settle(record, state, { reason: state === 'approved' ? 'checked_approved' : 'checked_not_charged', receipt: ref ? { ref } : undefined });
      return { kind: 'resolved', payment };
    });
  }

  private command(payment: Payment, original: Payment | undefined): IqomCommand {
    const kind = COMMAND_OF[payment.kind];
    const invoice = payment.reference?.number ?? payment.ruid;
    if (kind === 'preauthcompletion') return { kind, preauthCode: original?.receipt?.ref ?? '', amountCents: payment.amountCents };
    if (kind === 'preauthcancel') return { kind, preauthCode: original?.receipt?.ref ?? '' };
    return { kind, invoice, amountCents: payment.amountCents };
  }

  private async send(ruid: string, address: string, original: Payment | undefined): Promise<void> {
    const record = await this.deps.store.getPayment(ruid);
    if (!record || record.payment.state !== 'accepted') return;
    const command = this.command(record.payment, original);
    // Marked sent before a byte is written: after a crash, `sent` means "may have been charged".
    const sent = await this.settle(record, 'sent', { reason: 'waiting_for_customer' });
    const result = await this.deps.links(address).send(buildCommand(command, this.deps.receipts));
    const current = { payment: sent, machine: record.machine };
    if (result.kind === 'not_sent') {
      this.deps.logger.warn('lan terminal not reachable', { ruid, tid: sent.tid, reason: result.reason });
      await this.settle(current, 'failed', { reason: 'terminal_offline' });
      return;
    }
    if (result.kind === 'lost') {
      this.deps.logger.warn('lan answer lost', { ruid, tid: sent.tid, reason: result.reason });
      await this.settle(current, 'unknown', { reason: 'unknown_outcome' });
      return;
    }
    const answer = parseAnswer(command.kind, result.xml);
    switch (answer.kind) {
      case 'ok':
        await this.settle(current, 'approved', { reason: 'approved', receipt: { ref: answer.ref } });
        return;
      case 'error': {
        // myPOS's own status: a cancellation on the terminal is not a decline by the bank.
        const cancelled = /CANCEL/i.test(answer.statusText);
        this.deps.logger.info('lan terminal refused', { ruid, status: answer.status, statusText: answer.statusText });
        const reason = cancelled ? 'cardholder_cancelled' : 'declined';
        await this.settle(current, cancelled ? 'cancelled' : 'declined', { reason, myposStatus: answer.status, receipt: answer.ref ? { ref: answer.ref } : undefined });
        return;
      }
      case 'malformed_request':
        this.deps.logger.error('lan terminal could not read our command', { ruid, answer: answer.text });
        await this.settle(current, 'failed', { reason: 'terminal_rejected_request' });
        return;
      case 'unreadable':
        // An answer we cannot read may still mean the card was charged.
        this.deps.logger.error('lan answer unreadable', { ruid, reason: answer.reason });
        await this.settle(current, 'unknown', { reason: 'unknown_outcome' });
    }
  }

  private async settle(record: PaymentRecord, state: PaymentState, change: { reason: PaymentReason; myposStatus?: string; receipt?: Readonly<Record<string, string>> | undefined }): Promise<Payment> {
    const payment: Payment = {
      ...record.payment,
      state,
      reason: change.reason,
      myposStatus: change.myposStatus ?? record.payment.myposStatus,
      receipt: change.receipt ?? record.payment.receipt,
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
    const event = await this.deps.store.savePayment({ payment, machine: record.machine }, true);
    if (event) this.deps.bus.publish(event);
    this.deps.logger.info('lan payment', { ruid: payment.ruid, state });
    return payment;
  }
}
