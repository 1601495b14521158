import type { Cents } from '../../shared/money.js';
import { outcomeFor, TERMINAL_TIMES, type CardOutcome } from './outcomes.js';

// The myPOS cloud's view of the merchant's devices: which TIDs exist, which are subscribed to the
// cash-register service, and what each terminal is doing. One payment at a time per terminal.

export type TerminalMode = 'auto' | 'manual';
export type Subscription = 'none' | 'pending_subscribe' | 'subscribed' | 'pending_unsubscribe';

export interface SimTerminal {
  readonly tid: string;
  readonly currency: string;
  subscription: Subscription;
  code: string | undefined;
  online: boolean;
  mode: TerminalMode;
  /** RUID of the purchase or refund the terminal is busy with. */
  pending: string | undefined;
  /** RUID of the last approved transaction, the only one MPRLastTxnVoid may void. */
  lastApproved: string | undefined;
}

export type TxnPhase = 'awaiting_confirmation' | 'awaiting_card' | 'pin' | 'approved' | 'declined' | 'cancelled';
export type TxnMethod = 'MPRPurchase' | 'MPRRefund';

export interface CardDetails {
  readonly responseCode: string;
  readonly authCode: string;
  readonly rrn: string;
  readonly stan: string;
  readonly maskedPan: string;
  readonly aid: string;
  readonly aidName: string;
  readonly embossName: string;
  readonly date: string;
  readonly time: string;
}

export interface SimTxn {
  readonly ruid: string;
  readonly tid: string;
  readonly method: TxnMethod;
  readonly amountCents: Cents;
  readonly reference: { number: string; type: string } | undefined;
  readonly outcome: CardOutcome;
  phase: TxnPhase;
  pinCode: string | undefined;
  card: CardDetails | undefined;
  voided: boolean;
  /** When the terminal got the request (epoch ms). */
  readonly createdAt: number;
  /** When the terminal showed the PIN prompt. */
  pinAt: number | undefined;
  /** When it became final: the card read, or the PIN entered (the bench and tests measure from it). */
  finishedAt: number | undefined;
}

export interface LedgerEntry {
  readonly kind: 'purchase' | 'refund' | 'void';
  readonly ruid: string;
  readonly tid: string;
  readonly amountCents: Cents;
  readonly at: number;
}

/** What the cloud keeps of its payments (a transaction once final or voided, a ledger entry), for a journal. */
export type SimRecord = { readonly kind: 'txn'; readonly txn: SimTxn } | { readonly kind: 'ledger'; readonly entry: LedgerEntry };

export interface TerminalSeed {
  readonly tid: string;
  readonly currency: string;
  readonly subscribed?: boolean;
  readonly mode?: TerminalMode;
  readonly online?: boolean;
}

const FINAL: ReadonlySet<TxnPhase> = new Set(['approved', 'declined', 'cancelled']);

export function isFinal(phase: TxnPhase): boolean {
  return FINAL.has(phase);
}

export class VirtualTerminals {
  readonly terminals = new Map<string, SimTerminal>();
  readonly txns = new Map<string, SimTxn>();
  readonly ledger: LedgerEntry[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private stan = 0;
  /** Told of what the cloud keeps (payment-journal.ts writes it down). */
  onRecord: ((record: SimRecord) => void) | undefined;

  constructor(
    private readonly timeScale: number,
    private readonly random: () => number = Math.random,
  ) {}

  addTerminal(seed: TerminalSeed): SimTerminal {
    const terminal: SimTerminal = {
      tid: seed.tid,
      currency: seed.currency,
      subscription: seed.subscribed ? 'subscribed' : 'none',
      code: undefined,
      online: seed.online ?? true,
      mode: seed.mode ?? 'auto',
      pending: undefined,
      lastApproved: undefined,
    };
    this.terminals.set(seed.tid, terminal);
    return terminal;
  }

  reset(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.terminals.clear();
    this.txns.clear();
    this.ledger.length = 0;
  }

  /** The payments kept from before a restart: final transactions (the latest of each wins) and the ledger. */
  restoreRecords(records: readonly SimRecord[]): void {
    for (const record of records) {
      if (record.kind === 'txn') this.txns.set(record.txn.ruid, { ...record.txn });
      else this.ledger.push(record.entry);
    }
  }

  private keep(txn: SimTxn, entry: LedgerEntry | undefined): void {
    if (entry) {
      this.ledger.push(entry);
      this.onRecord?.({ kind: 'ledger', entry });
    }
    this.onRecord?.({ kind: 'txn', txn });
  }

  newCode(): string {
    return String(Math.floor(this.random() * 1e8)).padStart(8, '0');
  }

  /** The cardholder-side typing of the subscription code on the device. */
  enterCode(tid: string, code: string): { ok: boolean; message: string } {
    const terminal = this.terminals.get(tid);
    if (!terminal) return { ok: false, message: `no terminal ${tid}` };
    if (terminal.code === undefined || terminal.code !== code) return { ok: false, message: 'wrong code' };
    terminal.code = undefined;
    if (terminal.subscription === 'pending_subscribe') terminal.subscription = 'subscribed';
    else if (terminal.subscription === 'pending_unsubscribe') terminal.subscription = 'none';
    return { ok: true, message: `terminal ${tid} is now ${terminal.subscription === 'subscribed' ? 'in cash-register mode' : 'standalone'}` };
  }

  startTxn(terminal: SimTerminal, input: { ruid: string; method: TxnMethod; amountCents: Cents; reference?: { number: string; type: string } }): SimTxn {
    const txn: SimTxn = {
      ruid: input.ruid,
      tid: terminal.tid,
      method: input.method,
      amountCents: input.amountCents,
      reference: input.reference,
      outcome: outcomeFor(input.amountCents).card,
      phase: 'awaiting_confirmation',
      pinCode: undefined,
      card: undefined,
      voided: false,
      createdAt: Date.now(),
      pinAt: undefined,
      finishedAt: undefined,
    };
    this.txns.set(txn.ruid, txn);
    terminal.pending = txn.ruid;
    if (terminal.mode === 'auto') {
      this.after(TERMINAL_TIMES.confirmAndCard, () => {
        this.pressO(terminal.tid);
        this.presentCard(terminal.tid);
      });
    }
    return txn;
  }

  pendingTxn(tid: string): SimTxn | undefined {
    const ruid = this.terminals.get(tid)?.pending;
    return ruid === undefined ? undefined : this.txns.get(ruid);
  }

  /** The cashier presses O: the terminal takes the request and asks for the card. */
  pressO(tid: string): SimTxn | undefined {
    const txn = this.pendingTxn(tid);
    if (!txn || txn.phase !== 'awaiting_confirmation') return undefined;
    txn.phase = 'awaiting_card';
    return txn;
  }

  /** The card is tapped or inserted; what happens next comes from the outcome (or the override). */
  presentCard(tid: string, override?: CardOutcome): SimTxn | undefined {
    const txn = this.pendingTxn(tid);
    if (!txn || txn.phase !== 'awaiting_card') return undefined;
    const outcome = override ?? txn.outcome;
    switch (outcome.kind) {
      case 'approve':
        this.finish(txn, 'approved', '00');
        break;
      case 'decline':
        this.finish(txn, 'declined', outcome.responseCode);
        break;
      case 'cardholder_cancels':
        this.finish(txn, 'cancelled', undefined);
        break;
      case 'pin_then_approve':
      case 'pin_then_decline':
      case 'pin_never_entered':
        txn.phase = 'pin';
        txn.pinCode = '1A';
        txn.pinAt = Date.now();
        this.after(TERMINAL_TIMES.pinEntry / 5, () => {
          if (txn.phase === 'pin') txn.pinCode = '70';
        });
        if (outcome.kind === 'pin_never_entered') {
          this.after(TERMINAL_TIMES.pinGiveUp, () => this.enterPin(tid, false, outcome.responseCode));
        } else if (this.terminals.get(tid)?.mode === 'auto') {
          const correct = outcome.kind === 'pin_then_approve';
          this.after(TERMINAL_TIMES.pinEntry, () => this.enterPin(tid, correct, correct ? '00' : outcome.responseCode));
        }
        break;
    }
    return txn;
  }

  enterPin(tid: string, correct: boolean, declineCode = '55'): SimTxn | undefined {
    const txn = this.pendingTxn(tid);
    if (!txn || txn.phase !== 'pin') return undefined;
    this.finish(txn, correct ? 'approved' : 'declined', correct ? '00' : declineCode);
    return txn;
  }

  /** MPRCancel or the cardholder's cancel key: only before the card was read. */
  cancel(tid: string, ruid: string): 'cancelled' | 'in_progress' | 'final' | 'unknown' {
    const txn = this.txns.get(ruid);
    if (!txn || txn.tid !== tid) return 'unknown';
    if (isFinal(txn.phase)) return 'final';
    if (txn.phase === 'pin') return 'in_progress';
    this.finish(txn, 'cancelled', undefined);
    return 'cancelled';
  }

  voidLast(tid: string, ruidOriginal: string, amountCents: Cents): boolean {
    const terminal = this.terminals.get(tid);
    const txn = this.txns.get(ruidOriginal);
    if (!terminal || !txn || terminal.lastApproved !== ruidOriginal || txn.voided || txn.amountCents !== amountCents) return false;
    txn.voided = true;
    terminal.lastApproved = undefined;
    this.keep(txn, { kind: 'void', ruid: ruidOriginal, tid, amountCents, at: Date.now() });
    return true;
  }

  private finish(txn: SimTxn, phase: 'approved' | 'declined' | 'cancelled', responseCode: string | undefined): void {
    txn.phase = phase;
    txn.pinCode = undefined;
    txn.finishedAt = Date.now();
    const terminal = this.terminals.get(txn.tid);
    if (terminal && terminal.pending === txn.ruid) terminal.pending = undefined;
    if (responseCode !== undefined) txn.card = this.cardDetails(responseCode, phase === 'approved');
    if (phase === 'approved' && terminal) terminal.lastApproved = txn.ruid;
    this.keep(txn, phase === 'approved' ? { kind: txn.method === 'MPRPurchase' ? 'purchase' : 'refund', ruid: txn.ruid, tid: txn.tid, amountCents: txn.amountCents, at: Date.now() } : undefined);
  }

  private cardDetails(responseCode: string, approved: boolean): CardDetails {
    const now = new Date();
    this.stan = (this.stan % 999_999) + 1;
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(this.random() * 10)).join('');
    return {
      responseCode,
      authCode: approved ? digits(6) : '',
      rrn: digits(12),
      stan: String(this.stan).padStart(6, '0'),
      maskedPan: `476173******${digits(4)}`,
      aid: 'A0000000031010',
      aidName: 'VISA CREDIT',
      embossName: 'TEST CARDHOLDER',
      date: now.toISOString().slice(0, 10),
      time: now.toISOString().slice(11, 19),
    };
  }

  private after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms * this.timeScale);
    this.timers.add(timer);
  }
}
