import type { taskId } from '../db/outbox.js';
import type { formatCents } from '../../../../shared/money.js';
import type { LocalSale, TillDb } from '../db/schema.js';
import type { RestoredBooks, Slot } from '../platform/storage.js';

// Tills refill a restored ledger. The edge's books may be restored from a backup older than sales
// this till has already had booked; the edge then has a new ledger generation. A till that sees a
// generation it has not compared against asks which of its booked sales the edge holds
// (GET /api/sales/ids?since=, page by page) and queues the others for the ledger again (the same
// idempotent PUT /api/sales/:id, so a sale is never booked twice), each with the receipt number
// printed for it, which the edge keeps (POST /api/sales/printed first: new sales go after them;
// until then the edge keeps this till's new sales waiting, 503 ledger_restored). A sale with a card part goes again only
// when its payment is approved at the edge — still held, or confirmed by myPOS on the edge's asking
// (a payment made after the backup is lost with the books); otherwise the ledger would refuse it,
// and the sale is left for a person to check against myPOS's statement.

export interface RefillDeps {
  readonly db: TillDb;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  /** The generation this till last compared its sales against (kept on the device). */
  readonly generation: { get(): string | undefined; set(value: string): void };
  /** The outbox's task ids (db/outbox.ts) and the wire's amounts, given rather than imported: this file stays its own lazy chunk. */
  readonly taskId: typeof taskId;
  readonly formatCents: typeof formatCents;
}

export type RefillResult =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'same' }
  | { readonly kind: 'compared'; readonly requeued: readonly LocalSale[]; readonly unconfirmed: readonly string[] };

interface IdsAnswer {
  readonly generation: string;
  readonly ids: readonly string[];
  readonly more: boolean;
}

/** A JSON answer: its status and body; undefined when the edge could not be reached. */
async function call(deps: RefillDeps, path: string, body?: unknown): Promise<{ readonly status: number; readonly json: unknown } | undefined> {
  try {
    const init: RequestInit = body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await deps.fetch(`${deps.baseUrl}${path}`, init);
    return { status: response.status, json: await response.json().catch(() => undefined) };
  } catch {
    return undefined;
  }
}

async function getJson(deps: RefillDeps, path: string): Promise<unknown> {
  const answer = await call(deps, path);
  return answer && answer.status < 300 ? answer.json : undefined;
}

function readIds(body: unknown): IdsAnswer | undefined {
  const answer = body as Partial<IdsAnswer> | undefined;
  if (typeof answer?.generation !== 'string' || !Array.isArray(answer.ids) || !answer.ids.every((id) => typeof id === 'string')) return undefined;
  return { generation: answer.generation, ids: answer.ids, more: answer.more === true };
}

/**
 * Booked sales the edge's ledger no longer holds, queued for the ledger again as when they were
 * made (the sale and its task in one transaction). A sale already pending, or not booked, is left.
 */
async function requeueForLedger(db: TillDb, ids: readonly string[], now: number, taskId: RefillDeps['taskId']): Promise<LocalSale[]> {
  const requeued: LocalSale[] = [];
  for (const id of ids) {
    const tx = db.transaction(['sales', 'outbox'], 'readwrite');
    const sale = await tx.objectStore('sales').get(id);
    if (sale?.sync === 'synced') {
      const { notInBooks: _confirmedNow, ...rest } = sale;
      const pending: LocalSale = { ...rest, sync: 'pending' };
      await tx.objectStore('sales').put(pending);
      await tx.objectStore('outbox').put({ id: taskId('put_sale', id), kind: 'put_sale', saleId: id, createdAt: now, attempts: 0, nextAttemptAt: now, deadlineAt: undefined, sendingSince: undefined, lastError: undefined });
      requeued.push(pending);
    }
    await tx.done;
  }
  return requeued;
}

/** Card sales myPOS did not confirm: marked on the till as not in the books (History shows it). */
async function markNotInBooks(db: TillDb, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const tx = db.transaction('sales', 'readwrite');
    const sale = await tx.store.get(id);
    if (sale?.sync === 'synced' && !sale.notInBooks) await tx.store.put({ ...sale, notInBooks: true });
    await tx.done;
  }
}

const hasCard = (sale: LocalSale) => sale.tender === 'card' || (sale.cardCents ?? 0) > 0;

const paymentState = (json: unknown) => (json as { payment?: { state?: unknown } } | undefined)?.payment?.state;
const notConfirmedReason = (json: unknown) => (json as { error?: { reason?: unknown } } | undefined)?.error?.reason;
/** myPOS's answers that may still change: asked again at the next compare. The others are its last word. */
const ASK_AGAIN: ReadonlySet<unknown> = new Set(['pending', 'no_answer']);

/**
 * Whether a card sale the edge lacks may go to the ledger again: its payment is held there,
 * approved (or voided since: still a sale made), or — lost with the books — myPOS confirms it
 * approved for this amount (POST /api/payments/lost: the edge asks MPRGetTxnStatus, or
 * IPCGetTxnStatus for a link, and stores it). Undefined: the edge could not be asked, or myPOS
 * could not say yet (pending, no answer): compared again.
 */
async function cardConfirmed(deps: RefillDeps, sale: LocalSale): Promise<boolean | undefined> {
  const held = await call(deps, `/api/payments/${encodeURIComponent(sale.id)}`);
  if (!held) return undefined;
  if (held.status === 200) return paymentState(held.json) === 'approved' || paymentState(held.json) === 'voided';
  if (held.status !== 404 || sale.tid === undefined) return false;
  const lost = await call(deps, '/api/payments/lost', { ruid: sale.id, tid: sale.tid, amount: deps.formatCents(sale.cardCents ?? sale.amountCents), ...(sale.reference ? { reference: sale.reference } : {}) });
  if (!lost || (lost.status === 409 && ASK_AGAIN.has(notConfirmedReason(lost.json)))) return undefined;
  return (lost.status === 201 || lost.status === 200) && paymentState(lost.json) === 'approved';
}

const idsPath = (sinceMs: number) => `/api/sales/ids?${new URLSearchParams({ since: new Date(sinceMs).toISOString() }).toString()}`;
const timeOf = (sale: LocalSale) => Date.parse(sale.completedAt ?? '');

/** The most pages of ids asked in one comparison (each up to the edge's limit, 10 000). */
const MAX_PAGES = 50;

/**
 * Which of these booked sales the edge holds, page by page in the order they were completed.
 * `coveredBefore`: every sale completed before it was listed (all of them when complete).
 */
async function heldAtEdge(deps: RefillDeps, booked: readonly LocalSale[]): Promise<{ readonly held: ReadonlySet<string>; readonly complete: boolean; readonly coveredBefore: number } | undefined> {
  const byId = new Map(booked.map((sale) => [sale.id, sale]));
  const held = new Set<string>();
  let since = Math.min(...booked.map(timeOf));
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = readIds(await getJson(deps, idsPath(since)));
    if (!answer) return undefined;
    for (const id of answer.ids) held.add(id);
    if (!answer.more) return { held, complete: true, coveredBefore: Infinity };
    // The next page starts at the last time listed (again: a page may end inside one millisecond).
    const next = Math.max(...answer.ids.map((id) => (byId.has(id) ? timeOf(byId.get(id) as LocalSale) : -Infinity)));
    if (!(next > since)) break;
    since = next;
  }
  return { held, complete: false, coveredBefore: since };
}

/** Compares this till's booked sales with the edge's ledger when its generation is new; queues what it lacks. */
export async function refillLedger(deps: RefillDeps): Promise<RefillResult> {
  // The generation first, cheaply (the sales since now: none): the comparison only when it is new here.
  const probe = readIds(await getJson(deps, idsPath(deps.now())));
  if (!probe) return { kind: 'unreachable' };
  if (probe.generation === deps.generation.get()) return { kind: 'same' };
  const sales = await deps.db.getAll('sales');
  // First the highest receipt number this till printed (0: none): new sales at the edge are
  // numbered after it, so the sales coming back keep their numbers (PUT with receiptNo); and until
  // this till has said it, the edge keeps its own new sales waiting (503 ledger_restored).
  const upTo = Math.max(0, ...sales.map((sale) => sale.receiptNo ?? 0));
  if ((await call(deps, '/api/sales/printed', { upTo }))?.status !== 204) return { kind: 'unreachable' };
  const booked = sales.filter((sale) => sale.sync === 'synced' && Number.isFinite(timeOf(sale)));
  const listed = booked.length > 0 ? await heldAtEdge(deps, booked) : { held: new Set<string>(), complete: true, coveredBefore: Infinity };
  if (!listed) return { kind: 'unreachable' };
  const missing = booked.filter((sale) => !listed.held.has(sale.id) && timeOf(sale) < listed.coveredBefore);
  let complete = listed.complete;
  const again: string[] = [];
  const unconfirmed: string[] = [];
  /** Card sales myPOS could not say about yet: not in the books for now, asked again. */
  const later: string[] = [];
  for (const sale of missing) {
    const confirmed = hasCard(sale) ? await cardConfirmed(deps, sale) : true;
    // Undefined only for a card sale (the others are true): myPOS could not say yet.
    if (confirmed === undefined) {
      complete = false;
      later.push(sale.id);
    } else if (confirmed) again.push(sale.id);
    else unconfirmed.push(sale.id);
  }
  const requeued = await requeueForLedger(deps.db, again, deps.now(), deps.taskId);
  await markNotInBooks(deps.db, [...unconfirmed, ...later]);
  if (complete) deps.generation.set(probe.generation);
  return { kind: 'compared', requeued, unconfirmed };
}

/**
 * In the browser: this till's sales against the edge's ledger, the generation kept on the device
 * (platform/storage.ts). When something was sent again or left unconfirmed, the notice for the
 * owner (kept until dismissed) adds it up; undefined when there is nothing new to tell.
 */
export async function refillThisTill(
  db: TillDb,
  send: (url: string, init?: RequestInit) => Promise<Response>,
  taskId: RefillDeps['taskId'],
  formatCents: RefillDeps['formatCents'],
  kept: { readonly ledgerGeneration: Slot<string>; readonly restoredBooks: Slot<RestoredBooks> },
): Promise<{ readonly requeued: readonly LocalSale[]; readonly notice: RestoredBooks } | undefined> {
  const result = await refillLedger({ db, baseUrl: '', fetch: (input, init) => send(String(input), init), now: () => Date.now(), generation: kept.ledgerGeneration, taskId, formatCents });
  if (result.kind !== 'compared' || (result.requeued.length === 0 && result.unconfirmed.length === 0)) return undefined;
  const before = kept.restoredBooks.get();
  const notice: RestoredBooks = {
    sent: (before?.sent ?? 0) + result.requeued.length,
    unconfirmed: [...new Set([...(before?.unconfirmed ?? []), ...result.unconfirmed])],
    sentIds: [...new Set([...(before?.sentIds ?? []), ...result.requeued.map((sale) => sale.id)])],
  };
  kept.restoredBooks.set(notice);
  return { requeued: result.requeued, notice };
}
