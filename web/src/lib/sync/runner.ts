import type { InFlightSummary } from '../../../../shared/api.js';
import { formatCents, parseAmount } from '../../../../shared/money.js';
import type { Payment } from '../../../../shared/payments.js';
import { clearSending, dueTasks, finishTask, markSending, retryTask } from '../db/outbox.js';
import type { BusyWith, LocalSale, OutboxTask, TillDb } from '../db/schema.js';
import type { ApiError } from '../net/http.js';
import { saleBody } from '../../../../shared/sale.js';
import { saleParts } from '../sale-parts.js';
import { checkoutBody, readLink, type CheckoutBody } from '../checkout/online.js';

// Drains the outbox to the edge. Only the holder of the outbox lock sends (one tab at a time);
// every endpoint it calls is idempotent (payments by RUID, sales by id), so a resend after a
// crash or a lost answer never charges or books twice. Retries back off with jitter.

export interface RunnerDeps {
  readonly db: TillDb;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** Runs work while holding the outbox lock (navigator.locks in the browser). */
  readonly withLock: (work: () => Promise<void>) => Promise<void>;
  readonly now: () => number;
  readonly random: () => number;
  readonly online: () => boolean;
  /** A sale changed (tell the other tabs and the screens). */
  readonly onSaleChanged: (sale: LocalSale) => void;
  readonly onProgress?: (progress: { done: number; total: number }) => void;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** The VAT rate of a sale stored before the cart (one free-amount line); default 20 %. */
  readonly freeAmountVatBp?: number;
}

/** The payment a 409 terminal_busy names, read with care: amount and time only when well formed. */
function busyWith(error: unknown): BusyWith {
  const body = (error ?? {}) as { inFlightRuid?: unknown; inFlight?: Partial<Record<keyof InFlightSummary, unknown>> };
  const inFlight = body.inFlight ?? {};
  const amount = typeof inFlight.amount === 'string' ? parseAmount(inFlight.amount) : undefined;
  const ruid = typeof inFlight.ruid === 'string' ? inFlight.ruid : typeof body.inFlightRuid === 'string' ? body.inFlightRuid : '';
  const currency = typeof inFlight.currency === 'string' && /^[A-Z]{3}$/.test(inFlight.currency) ? inFlight.currency : undefined;
  const createdAt = typeof inFlight.createdAt === 'string' && !Number.isNaN(Date.parse(inFlight.createdAt)) ? inFlight.createdAt : undefined;
  return { ruid, amountCents: amount?.ok ? amount.value : undefined, currency, createdAt };
}

/** What the till keeps of an error body to word it later: its code and string data, never the message. */
function problemOf(error: ApiError | undefined): Omit<ApiError, 'message'> {
  if (!error || typeof error !== 'object') return { code: 'bad_response' };
  const keep = ['code', 'field', 'rule', 'left', 'status', 'reason', 'currency', 'state'] as const;
  return Object.fromEntries(keep.filter((key) => typeof error[key] === 'string').map((key) => [key, error[key]]));
}

type Outcome = { kind: 'done'; sale: (sale: LocalSale) => LocalSale } | { kind: 'retry'; error: string } | { kind: 'failed'; sale: (sale: LocalSale) => LocalSale };

export class OutboxRunner {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: RunnerDeps) {}

  /** Drains now (or right after the drain in progress), then waits for the next due task. */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.deps.withLock(() => this.drain());
      } while (this.again && !this.stopped);
      this.running = undefined;
      await this.scheduleNext();
    })();
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const tasks = await this.deps.db.getAll('outbox');
    if (tasks.length === 0) return;
    // The next retry, or the next deadline (an expiry is due even while offline).
    const next = Math.min(...tasks.map((task) => Math.min(task.nextAttemptAt, (task.deadlineAt ?? Number.POSITIVE_INFINITY) + 1)));
    this.timer = setTimeout(() => void this.kick(), Math.max(50, next - this.deps.now()));
  }

  private async drain(): Promise<void> {
    // Expiry is local: it happens with or without a network.
    await this.expireOverdue();
    if (!this.deps.online()) return;
    // Holding the lock, nothing else is sending: a "sending" mark left by a closed tab or a reload
    // is stale, and that request is simply sent again (the edge deduplicates it).
    await clearSending(this.deps.db);
    let done = 0;
    const seen = new Set<string>();
    for (;;) {
      const due = (await dueTasks(this.deps.db, this.deps.now())).filter((task) => !seen.has(task.id));
      if (due.length === 0) return;
      const total = done + due.length;
      for (const task of due) {
        seen.add(task.id);
        if (this.stopped || !this.deps.online()) return;
        await this.process(task);
        done += 1;
        this.deps.onProgress?.({ done, total });
      }
    }
  }

  private async expireOverdue(): Promise<void> {
    const now = this.deps.now();
    for (const task of await this.deps.db.getAll('outbox')) {
      if (task.deadlineAt !== undefined && now > task.deadlineAt) await this.expire(task);
    }
  }

  /** Too late: a card request that waited past its deadline is never sent. */
  private async expire(task: OutboxTask): Promise<void> {
    const sale = await finishTask(this.deps.db, task, (s) => ({ ...s, paymentState: 'expired', message: undefined }));
    if (sale) this.deps.onSaleChanged(sale);
  }

  private async process(queued: OutboxTask): Promise<void> {
    const { db, now } = this.deps;
    if (queued.deadlineAt !== undefined && now() > queued.deadlineAt) return this.expire(queued);
    const task = await markSending(db, queued, now());
    if (!task) return;
    const sale = await db.get('sales', task.saleId);
    if (!sale) {
      await finishTask(db, task, (s) => s);
      return;
    }
    const outcome = task.kind === 'create_payment' ? await this.createPayment(sale) : await this.putSale(sale);
    if (outcome.kind === 'retry') {
      await retryTask(db, task, now() + this.delay(task.attempts + 1), outcome.error);
      return;
    }
    const updated = await finishTask(db, task, outcome.sale);
    if (updated) this.deps.onSaleChanged(updated);
  }

  /** Full jitter over an exponential back-off: base x 2^(n-1), capped, times a random 0.5..1. */
  private delay(attempt: number): number {
    const base = this.deps.baseDelayMs ?? 1_000;
    const capped = Math.min(this.deps.maxDelayMs ?? 30_000, base * 2 ** (attempt - 1));
    return Math.round(capped * (0.5 + this.deps.random() * 0.5));
  }

  /**
   * Answers after which the same request is sent again later: no answer, the edge failing, too many
   * requests, or this device not (or no longer) paired — a sale is never dropped for those.
   */
  private static retryable(answer: { status: number } | undefined): boolean {
    return answer === undefined || answer.status >= 500 || answer.status === 401 || answer.status === 408 || answer.status === 429;
  }

  private async send(method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> } | undefined> {
    try {
      const response = await this.deps.fetch(`${this.deps.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: response.status, json };
    } catch {
      return undefined;
    }
  }

  private parts(sale: LocalSale) {
    return saleParts(sale, this.deps.freeAmountVatBp ?? 2000);
  }

  private async createPayment(sale: LocalSale): Promise<Outcome> {
    if (!sale.tid) return { kind: 'failed', sale: (s) => ({ ...s, paymentState: 'rejected', message: 'The sale has no terminal.', problem: { code: 'invalid', field: 'tid', rule: 'required' } }) };
    const parts = this.parts(sale);
    // Paid on the customer's phone: a checkout link of the same RUID, with the cart's lines.
    const online = sale.channel === 'checkout';
    const answer = online
      ? await this.checkout(checkoutBody({ ...parts, id: sale.id, reference: sale.reference }))
      : await this.send('POST', '/api/payments', {
            ruid: sale.id,
            tid: sale.tid,
            amount: formatCents(parts.cardCents),
            ...(sale.reference ? { reference: sale.reference } : {}),
          });
    if (!answer || OutboxRunner.retryable(answer)) return { kind: 'retry', error: answer ? `HTTP ${answer.status}` : 'network' };
    const error = answer.json.error as ApiError | undefined;
    // The terminal is on another payment: never queued, never sent later by itself (the first
    // payment's end would set off a charge nobody expects then). The cashier decides what next.
    if (answer.status === 409 && error?.code === 'terminal_busy') return { kind: 'failed', sale: (s) => ({ ...s, paymentState: 'busy', message: undefined, busyWith: busyWith(answer.json.error) }) };
    if (answer.status === 200 || answer.status === 202) {
      const payment = answer.json.payment as Payment;
      const link = online ? readLink(answer.json.checkout) : undefined;
      return { kind: 'done', sale: (s) => ({ ...s, paymentState: payment.state, ...(link ? { link } : {}) }) };
    }
    return { kind: 'failed', sale: (s) => ({ ...s, paymentState: 'rejected', message: error?.message ?? `HTTP ${answer.status}`, problem: problemOf(error) }) };
  }

  /**
   * The lines only show on the customer's payment page: if the edge refuses them (a 400 about
   * `lines`, nothing stored), the same RUID is asked again without them, for the amount alone.
   */
  private async checkout(body: CheckoutBody): Promise<{ status: number; json: Record<string, unknown> } | undefined> {
    const answer = await this.send('POST', '/api/checkouts', body);
    const field = (answer?.json.error as ApiError | undefined)?.field ?? '';
    if (answer?.status !== 400 || !body.lines || !field.startsWith('lines')) return answer;
    const { lines: _refused, ...alone } = body;
    return this.send('POST', '/api/checkouts', alone);
  }

  private async putSale(sale: LocalSale): Promise<Outcome> {
    const parts = this.parts(sale);
    const body = saleBody({
      ...parts,
      totalCents: sale.amountCents,
      currency: sale.currency,
      paymentRuid: parts.cardCents > 0 ? sale.id : undefined,
      reference: sale.reference,
      createdAt: sale.createdAt,
      completedAt: sale.completedAt ?? sale.createdAt,
    });
    // Booked before (sent again to restored books): the number on its printed receipt, kept if free.
    const answer = await this.send('PUT', `/api/sales/${encodeURIComponent(sale.id)}`, sale.receiptNo === undefined ? body : { ...body, receiptNo: sale.receiptNo });
    if (!answer || OutboxRunner.retryable(answer)) return { kind: 'retry', error: answer ? `HTTP ${answer.status}` : 'network' };
    if (answer.status === 200 || answer.status === 201) {
      // The edge's receipt number, given at booking: kept on the local record (History, receipts).
      const receiptNo = (answer.json.sale as { receiptNo?: unknown } | undefined)?.receiptNo;
      // Sent again after a restore under another number than printed: the printed one is kept too.
      const renumbered = Number.isInteger(receiptNo) && sale.receiptNo !== undefined && receiptNo !== sale.receiptNo;
      return { kind: 'done', sale: (s) => ({ ...s, sync: 'synced', ...(Number.isInteger(receiptNo) ? { receiptNo: receiptNo as number } : {}), ...(renumbered ? { printedNo: s.printedNo ?? sale.receiptNo } : {}) }) };
    }
    const error = answer.json.error as (ApiError & { saleId?: unknown; receiptNo?: unknown }) | undefined;
    // Its card payment is already booked, in another sale: sending again can never succeed. The
    // local record stays (nothing lost), marked with the sale that holds the payment.
    if (answer.status === 409 && error?.code === 'payment_already_booked') {
      const bookedAs = { saleId: typeof error.saleId === 'string' ? error.saleId : '', receiptNo: Number.isInteger(error.receiptNo) ? (error.receiptNo as number) : undefined };
      return { kind: 'failed', sale: (s) => ({ ...s, sync: 'booked_elsewhere', bookedAs, message: error.message, problem: problemOf(error) }) };
    }
    // Any other refusal (400 bad sale or currency, 409 another sale under this id) is final too: kept, marked, not resent.
    return { kind: 'failed', sale: (s) => ({ ...s, sync: 'failed', message: error?.message ?? `HTTP ${answer.status}`, problem: problemOf(error) }) };
  }
}
