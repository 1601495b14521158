import { CHANNEL_OPERATIONS, type Operation } from '../../../../shared/operations.js';
import type { Payment, PaymentKind, TerminalTransport } from '../../../../shared/payments.js';
import type { KeyedMutex } from '../../keyed-mutex.js';
import { buildCommand, parseAnswer, type IqomCommand, type ReceiptOptions } from '../../lan/iqom-xml.js';
import type { LanLinks, LanSendResult } from '../../lan/lan-link.js';
import type { Clock, EventBus, Logger, PaymentStore } from '../../ports.js';
import type { SettleResult, StartedPayment, TerminalChannel } from '../channel.js';
import type { PaymentRecord } from '../machine.js';
import { stepLan, type LanEvent, type LanStep } from './lan-machine.js';

// Payments on a LAN terminal (iqom Payment Interface). The protocol has no request id and no status
// query: a command is answered on its connection or never. So the payment service stores the
// payment, this channel marks it `sent` before writing the command, and when the connection breaks
// after that the payment is `unknown` — it is never sent again, and the terminal stays blocked until
// a person checks the terminal and settles it (resolve). One command at a time per terminal: the
// store's one-in-flight rule refuses a second (409 terminal_busy), and the link queues at the socket.
// Every state change is the pure machine's (lan-machine.ts); this file does the I/O around it.

export interface LanChannelDeps {
  readonly store: PaymentStore;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The terminals' locks: a LAN payment's sending, settling and recovery hold its terminal's. */
  readonly locks: KeyedMutex;
  readonly links: LanLinks;
  readonly receipts: ReceiptOptions;
}

const COMMAND_OF: Readonly<Record<PaymentKind, IqomCommand['kind']>> = {
  purchase: 'pay',
  refund: 'refund',
  preauth: 'preauth',
  completion: 'preauthcompletion',
  preauth_cancel: 'preauthcancel',
};

export class LanChannel implements TerminalChannel {
  readonly transport: TerminalTransport = 'lan';
  readonly capabilities: readonly Operation[] = CHANNEL_OPERATIONS.lan;
  readonly oneAtATime = true;

  constructor(private readonly deps: LanChannelDeps) {}

  /** Sends a payment the service has just stored, in the background, under its terminal's lock. */
  start({ payment, terminal, original }: StartedPayment): void {
    const address = terminal.address ?? '';
    void this.deps.locks.run(payment.tid, () => this.send(payment.ruid, address, original)).catch((error: unknown) => {
      this.deps.logger.error('lan payment failed unexpectedly', { ruid: payment.ruid, error: error instanceof Error ? error.message : String(error) });
    });
  }

  /**
   * After a restart the socket is gone: a command never written failed; one written may have been
   * charged — unknown. Neither is sent again. Each is re-read under its terminal's lock, so a send
   * still running (a recovery of one terminal) ends first. Returns how many it was given.
   */
  async recover(records: readonly PaymentRecord[]): Promise<number> {
    for (const given of records) {
      await this.deps.locks.run(given.payment.tid, async () => {
        const record = await this.deps.store.getPayment(given.payment.ruid);
        if (!record) return;
        const step = await this.apply(record, { kind: 'restarted' });
        if (step.kind === 'refused') this.deps.logger.warn('lan payment not in flight at recovery', { ruid: record.payment.ruid, state: record.payment.state });
      });
    }
    return records.length;
  }

  /** A person checked the terminal and says how an unknown LAN payment ended. */
  async resolve(ruid: string, outcome: 'approved' | 'declined', ref: string | undefined): Promise<SettleResult> {
    const first = await this.deps.store.getPayment(ruid);
    if (!first) return { kind: 'not_found' };
    return this.deps.locks.run(first.payment.tid, async (): Promise<SettleResult> => {
      const record = await this.deps.store.getPayment(ruid);
      if (!record) return { kind: 'not_found' };
      const step = await this.apply(record, { kind: 'resolved', outcome, ref });
      if (step.kind !== 'moved') return { kind: 'refused', message: 'Only an unknown payment on a LAN terminal is settled by hand.' };
      this.deps.logger.warn('lan payment settled by hand', { ruid, tid: record.payment.tid, state: step.record.payment.state });
      return { kind: 'resolved', payment: step.record.payment };
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
    if (!record) return;
    const command = this.command(record.payment, original);
    // Marked sent before a byte is written: after a crash, `sent` means "may have been charged".
    // Refused when it is no longer `accepted`: a command is never sent twice.
    const sent = await this.apply(record, { kind: 'command_written' });
    if (sent.kind !== 'moved') return;
    const result = await this.deps.links(address).send(buildCommand(command, this.deps.receipts));
    await this.apply(sent.record, this.eventOf(sent.record.payment, command.kind, result));
  }

  /** What the terminal's reply (or its absence) means for the payment; says in the log what went wrong. */
  private eventOf(payment: Payment, command: IqomCommand['kind'], result: LanSendResult): LanEvent {
    const { ruid, tid } = payment;
    switch (result.kind) {
      case 'not_sent':
        this.deps.logger.warn('lan terminal not reachable', { ruid, tid, reason: result.reason });
        return { kind: 'not_sent' };
      case 'lost':
        this.deps.logger.warn('lan answer lost', { ruid, tid, reason: result.reason });
        return { kind: 'lost' };
      case 'answer':
        break;
    }
    const answer = parseAnswer(command, result.xml);
    switch (answer.kind) {
      case 'ok':
        break;
      case 'error':
        this.deps.logger.info('lan terminal refused', { ruid, status: answer.status, statusText: answer.statusText });
        break;
      case 'malformed_request':
        this.deps.logger.error('lan terminal could not read our command', { ruid, answer: answer.text });
        break;
      case 'unreadable':
        this.deps.logger.error('lan answer unreadable', { ruid, reason: answer.reason });
    }
    return { kind: 'answer', answer };
  }

  /** Steps the machine; a change is stored with its event, then published. */
  private async apply(record: PaymentRecord, event: LanEvent): Promise<LanStep> {
    const step = stepLan(record, event, this.deps.clock.now());
    if (step.kind !== 'moved') return step;
    const saved = await this.deps.store.savePayment(step.record, true);
    if (saved) this.deps.bus.publish(saved);
    this.deps.logger.info('lan payment', { ruid: step.record.payment.ruid, state: step.record.payment.state });
    return step;
  }
}
