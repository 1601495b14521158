import { formatCents, parseAmount, type Cents } from '../../shared/money.js';
import { outcomeFor } from './outcomes.js';

// The iqom Payment Interface app on a myPOS Smart terminal, as a stand-in: it reads one XML command,
// "asks the cardholder" (the outcome comes from the amount's cents, the same table as the cloud
// simulator), and answers with the documented response. Pre-authorisation codes are kept, so a
// completion or a release needs a code it gave and at most the amount it held. It keeps a ledger of
// what it charged, so tests can reconcile it with the edge's.

export type IqomFault = 'none' | 'drop' | 'drop_after_charge' | 'silent' | 'garbage';

export interface IqomLedgerEntry {
  readonly command: string;
  readonly cents: Cents;
  readonly ref: string;
  readonly invoice: string;
}

export interface IqomSimulatorOptions {
  /** How long the cardholder takes (before the time scale). */
  readonly cardMs: number;
  readonly timeScale: number;
}

export type IqomReply = { readonly kind: 'answer'; readonly xml: string } | { readonly kind: 'drop' } | { readonly kind: 'silent' };

const RECEIPT = /^(ON|OFF|AFTER_CONFIRMATION)$/;
const COMMANDS = ['pay', 'refund', 'preauth', 'preauthcompletion', 'preauthcancel'] as const;
type Command = (typeof COMMANDS)[number];
const RESPONSE: Readonly<Record<Command, string>> = {
  pay: 'payresp',
  refund: 'refundresp',
  preauth: 'preauthresp',
  // The app's own spellings, as documented.
  preauthcompletion: 'preautcompletionresp',
  preauthcancel: 'preautcancelresp',
};

const BAD_XML = '<payresp>\n  <result>ERROR</result>\n  <ref>Hibás XML</ref>\n</payresp>\n';

function value(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? (match[1] ?? '').trim() : undefined;
}

export class IqomSimulator {
  /** The next command meets this fault, then the switch goes back to none. */
  fault: IqomFault = 'none';
  readonly ledger: IqomLedgerEntry[] = [];
  readonly preauths = new Map<string, Cents>();
  /** How long the cardholder takes here, in real milliseconds (tests slow it down to overlap commands). */
  cardDelayMs: number;
  private busy = false;
  private counter = 0;

  constructor(options: IqomSimulatorOptions) {
    this.cardDelayMs = options.cardMs * options.timeScale;
  }

  async handle(document: string): Promise<IqomReply> {
    const fault = this.fault;
    this.fault = 'none';
    if (fault === 'drop') return { kind: 'drop' };
    if (fault === 'silent') return { kind: 'silent' };
    if (fault === 'garbage') return { kind: 'answer', xml: 'OK?\n' };
    const parsed = this.parse(document);
    if (!parsed) return { kind: 'answer', xml: BAD_XML };
    if (this.busy) return { kind: 'answer', xml: this.error(parsed.command, '-1', 'TERMINAL_BUSY') };
    this.busy = true;
    try {
      const xml = await this.run(parsed);
      return fault === 'drop_after_charge' ? { kind: 'drop' } : { kind: 'answer', xml };
    } finally {
      this.busy = false;
    }
  }

  private parse(document: string): { command: Command; invoice: string; cents: Cents; code: string } | undefined {
    const body = document.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
    const root = /^<([a-z]+)>([\s\S]*)<\/([a-z]+)>$/.exec(body.trim());
    const command = COMMANDS.find((name) => name === root?.[1]);
    if (!root || !command || root[3] !== command) return undefined;
    const inner = root[2] ?? '';
    if (!RECEIPT.test(value(inner, 'receipt') ?? '') || !RECEIPT.test(value(inner, 'custrcpt') ?? '')) return undefined;
    const code = value(inner, 'preauthcode') ?? '';
    const invoice = value(inner, 'invoice') ?? '';
    let cents = 0;
    if (command !== 'preauthcancel') {
      const sum = parseAmount(value(inner, 'sum') ?? '');
      if (!sum.ok || sum.value <= 0) return undefined;
      cents = sum.value;
    }
    if ((command === 'preauthcompletion' || command === 'preauthcancel') && code === '') return undefined;
    if ((command === 'pay' || command === 'refund' || command === 'preauth') && invoice === '') return undefined;
    return { command, invoice, cents, code };
  }

  private async run({ command, invoice, cents, code }: { command: Command; invoice: string; cents: Cents; code: string }): Promise<string> {
    if (command === 'preauthcompletion' || command === 'preauthcancel') {
      const held = this.preauths.get(code);
      if (held === undefined) return this.error(command, '3', 'TRANSACTION_FAILED');
      if (command === 'preauthcompletion' && cents > held) return this.error(command, '3', 'TRANSACTION_FAILED');
      await this.cardholder();
      this.preauths.delete(code);
      return this.ok(command, command === 'preauthcompletion' ? cents : held, invoice || code);
    }
    const outcome = outcomeFor(cents).card;
    await this.cardholder(outcome.kind.startsWith('pin') ? 5 : 1);
    switch (outcome.kind) {
      case 'approve':
      case 'pin_then_approve':
        return this.ok(command, cents, invoice);
      case 'cardholder_cancels':
        return this.error(command, '2', 'TRANSACTION_CANCELED');
      default:
        return this.error(command, '3', 'TRANSACTION_FAILED');
    }
  }

  private cardholder(factor = 1): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.cardDelayMs * factor));
  }

  private ok(command: Command, cents: Cents, invoice: string): string {
    this.counter += 1;
    const ref = command === 'preauth' ? String(100_000 + ((this.counter * 7919) % 900_000)) : `${Date.now() % 1_000_000_000}${String(this.counter).padStart(3, '0')}`;
    if (command === 'preauth') this.preauths.set(ref, cents);
    this.ledger.push({ command, cents, ref, invoice });
    const tag = RESPONSE[command];
    return `<${tag}>\n  <result>OK</result>\n  <ref>${ref}</ref>\n</${tag} >\n`;
  }

  private error(command: Command, status: string, text: string): string {
    const tag = RESPONSE[command];
    return `<${tag}>\n  <result>ERROR</result>\n  <status>${status}</status>\n  <status_text>${text}</status_text>\n  <ref></ref>\n</${tag}>\n`;
  }

  /** What it charged, net: payments and completions minus refunds (for reconciling with the edge). */
  chargedCents(): Cents {
    return this.ledger.reduce((sum, entry) => sum + (entry.command === 'pay' || entry.command === 'preauthcompletion' ? entry.cents : entry.command === 'refund' ? -entry.cents : 0), 0);
  }

  describe(): { fault: IqomFault; ledger: readonly IqomLedgerEntry[]; preauths: Record<string, string> } {
    return { fault: this.fault, ledger: this.ledger, preauths: Object.fromEntries([...this.preauths].map(([code, held]) => [code, formatCents(held)])) };
  }
}
