import { formatCents, type Cents } from '../../../shared/money.js';
import { escapeXmlText } from '../mypos/xml.js';

// The iqom Payment Interface's messages (../shared/specs/iqom-payment-interface.txt): XML documents
// over a TCP stream, UTF-8, one document per message. We send the documented request tags; the
// documents spell the response tags inconsistently ("preautcompletionresp", "preautcompletionhresp",
// stray spaces), so every documented spelling is accepted and values are trimmed (DECISIONS.md).

export type IqomCommand =
  | { readonly kind: 'pay' | 'refund' | 'preauth'; readonly invoice: string; readonly amountCents: Cents }
  | { readonly kind: 'preauthcompletion'; readonly preauthCode: string; readonly amountCents: Cents }
  | { readonly kind: 'preauthcancel'; readonly preauthCode: string };

/** ON: print, OFF: do not, AFTER_CONFIRMATION: ask on the terminal. */
export type ReceiptMode = 'ON' | 'OFF' | 'AFTER_CONFIRMATION';

export interface ReceiptOptions {
  /** The merchant's copy. */
  readonly receipt: ReceiptMode;
  /** The customer's copy. */
  readonly custrcpt: ReceiptMode;
}

export const DEFAULT_RECEIPTS: ReceiptOptions = { receipt: 'OFF', custrcpt: 'AFTER_CONFIRMATION' };

const element = (name: string, value: string) => `<${name}>${escapeXmlText(value)}</${name}>`;

export function buildCommand(command: IqomCommand, receipts: ReceiptOptions = DEFAULT_RECEIPTS): string {
  const fields: string[] = [];
  switch (command.kind) {
    case 'pay':
    case 'refund':
    case 'preauth':
      fields.push(element('invoice', command.invoice), element('sum', formatCents(command.amountCents)));
      break;
    case 'preauthcompletion':
      fields.push(element('preauthcode', command.preauthCode), element('sum', formatCents(command.amountCents)));
      break;
    case 'preauthcancel':
      fields.push(element('preauthcode', command.preauthCode));
  }
  fields.push(element('receipt', receipts.receipt), element('custrcpt', receipts.custrcpt));
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${command.kind}>${fields.join('')}</${command.kind}>\n`;
}

/** Response roots by command, every spelling the documents use. */
export const RESPONSE_ROOTS: Readonly<Record<IqomCommand['kind'], readonly string[]>> = {
  pay: ['payresp'],
  refund: ['refundresp'],
  preauth: ['preauthresp'],
  preauthcompletion: ['preautcompletionresp', 'preautcompletionhresp', 'preauthcompletionresp'],
  preauthcancel: ['preautcancelresp', 'preauthcancelresp'],
};

export type IqomAnswer =
  | { readonly kind: 'ok'; readonly ref: string }
  | { readonly kind: 'error'; readonly status: string; readonly statusText: string; readonly ref: string }
  /** The app could not read our XML ("Hibás XML": Hungarian for "bad XML"). */
  | { readonly kind: 'malformed_request'; readonly text: string }
  /** Not a response we can read: not XML, or another command's response. */
  | { readonly kind: 'unreadable'; readonly reason: string };

const ROOT = /^\s*(?:<\?xml[^>]*\?>\s*)?<\s*([A-Za-z_][\w.-]*)[^>]*>/;

function field(xml: string, name: string): string | undefined {
  const match = new RegExp(`<\\s*${name}\\s*>([\\s\\S]*?)<\\s*/\\s*${name}\\s*>`, 'i').exec(xml);
  if (match) return decodeEntities(match[1] ?? '').trim();
  return new RegExp(`<\\s*${name}\\s*/\\s*>`, 'i').test(xml) ? '' : undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
}

export function parseAnswer(command: IqomCommand['kind'], xml: string): IqomAnswer {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { kind: 'unreadable', reason: 'DOCTYPE or ENTITY in a response' };
  const root = ROOT.exec(xml)?.[1]?.toLowerCase();
  if (!root) return { kind: 'unreadable', reason: 'not an XML document' };
  const result = field(xml, 'result')?.toUpperCase();
  const ref = field(xml, 'ref') ?? '';
  const status = field(xml, 'status');
  // The app answers a request it cannot read with <payresp>, whatever was sent: ERROR and only a ref text.
  if (result === 'ERROR' && status === undefined && root === 'payresp') return { kind: 'malformed_request', text: ref };
  if (!RESPONSE_ROOTS[command].includes(root)) return { kind: 'unreadable', reason: `a <${root}> answer to <${command}>` };
  if (result === 'OK') return { kind: 'ok', ref };
  if (result === 'ERROR') return { kind: 'error', status: status ?? '', statusText: field(xml, 'status_text') ?? '', ref };
  return { kind: 'unreadable', reason: `result "${result ?? ''}"` };
}

/**
 * Cuts a TCP byte stream into XML documents: a message ends when its root element closes
 * (tolerating the stray spaces of the documented spellings). Bytes are decoded as UTF-8 across
 * chunk boundaries.
 */
export class XmlDocumentFramer {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';

  constructor(private readonly maxChars = 64 * 1024) {}

  /** Adds bytes; returns the documents they complete. Throws when a document grows past the cap. */
  push(chunk: Uint8Array): string[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const documents: string[] = [];
    for (;;) {
      // Text that is not XML is a message of its own (the peer answers it as bad XML): up to the next "<" or line end.
      const garbage = /^\s*([^<\s][^<\n]*)(\n|(?=<))/.exec(this.buffer);
      if (garbage) {
        documents.push((garbage[1] ?? '').trim());
        this.buffer = this.buffer.slice(garbage[0].length);
        continue;
      }
      const root = ROOT.exec(this.buffer);
      if (!root?.[1]) break;
      const close = new RegExp(`<\\s*/\\s*${root[1]}\\s*>`).exec(this.buffer.slice(root[0].length));
      if (!close) break;
      const end = root[0].length + close.index + close[0].length;
      documents.push(this.buffer.slice(0, end).trim());
      this.buffer = this.buffer.slice(end);
    }
    if (this.buffer.length > this.maxChars) {
      this.buffer = '';
      throw new Error(`an XML message over ${this.maxChars} characters`);
    }
    return documents;
  }

  /** Text received that does not (yet) form a document. */
  get pending(): string {
    return this.buffer.trim();
  }
}
