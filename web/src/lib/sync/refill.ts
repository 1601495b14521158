import type { taskId } from '../db/outbox.js';
import type { LocalSale, TillDb } from '../db/schema.js';

// Tills refill a restored ledger. The edge's books may be restored from a backup older than sales
// this till has already had booked; the edge then has a new ledger generation. A till that sees a
// generation it has not compared against asks which of its booked sales the edge holds
// (GET /api/sales/ids?since=) and queues the others for the ledger again (the same idempotent
// PUT /api/sales/:id, so a sale is never booked twice). A sale with a card part goes again only
// when the edge still holds its payment, approved: otherwise the ledger would refuse it, and
// myPOS's statement is the word on that payment.

export interface RefillDeps {
  readonly db: TillDb;
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  /** The generation this till last compared its sales against (kept on the device). */
  readonly generation: { get(): string | undefined; set(value: string): void };
  /** The outbox's task ids (db/outbox.ts), given rather than imported: this file stays its own lazy chunk. */
  readonly taskId: typeof taskId;
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

async function getJson(deps: RefillDeps, path: string): Promise<unknown> {
  try {
    const response = await deps.fetch(`${deps.baseUrl}${path}`);
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
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
      const pending: LocalSale = { ...sale, sync: 'pending' };
      await tx.objectStore('sales').put(pending);
      await tx.objectStore('outbox').put({ id: taskId('put_sale', id), kind: 'put_sale', saleId: id, createdAt: now, attempts: 0, nextAttemptAt: now, deadlineAt: undefined, sendingSince: undefined, lastError: undefined });
      requeued.push(pending);
    }
    await tx.done;
  }
  return requeued;
}

const hasCard = (sale: LocalSale) => sale.tender === 'card' || (sale.cardCents ?? 0) > 0;

/** Compares this till's booked sales with the edge's ledger when its generation is new; queues what it lacks. */
export async function refillLedger(deps: RefillDeps): Promise<RefillResult> {
  const booked = (await deps.db.getAll('sales')).filter((sale) => sale.sync === 'synced' && sale.completedAt !== undefined);
  const since = booked.map((sale) => sale.completedAt ?? '').sort()[0] ?? new Date(deps.now()).toISOString();
  const answer = readIds(await getJson(deps, `/api/sales/ids?${new URLSearchParams({ since }).toString()}`));
  if (!answer) return { kind: 'unreachable' };
  if (answer.generation === deps.generation.get()) return { kind: 'same' };
  // Cut at the edge's limit: compared again next time, once the missing sales before the cut went.
  const held = new Set(answer.ids);
  const missing = answer.more ? [] : booked.filter((sale) => !held.has(sale.id));
  const again: string[] = [];
  const unconfirmed: string[] = [];
  for (const sale of missing) {
    if (!hasCard(sale)) {
      again.push(sale.id);
      continue;
    }
    const payment = (await getJson(deps, `/api/payments/${encodeURIComponent(sale.id)}`)) as { payment?: { state?: unknown } } | undefined;
    if (payment?.payment?.state === 'approved' || payment?.payment?.state === 'voided') again.push(sale.id);
    else unconfirmed.push(sale.id);
  }
  const requeued = await requeueForLedger(deps.db, again, deps.now(), deps.taskId);
  if (!answer.more) deps.generation.set(answer.generation);
  return { kind: 'compared', requeued, unconfirmed };
}

const GENERATION_KEY = 'till.ledgerGeneration';

/** In the browser: this till's sales against the edge's ledger, the generation kept on the device; the sales queued again. */
export async function refillThisTill(db: TillDb, send: (url: string, init?: RequestInit) => Promise<Response>, taskId: RefillDeps['taskId']): Promise<readonly LocalSale[]> {
  const result = await refillLedger({
    db,
    baseUrl: '',
    fetch: (input, init) => send(String(input), init),
    now: () => Date.now(),
    generation: { get: () => localStorage.getItem(GENERATION_KEY) ?? undefined, set: (value) => localStorage.setItem(GENERATION_KEY, value) },
    taskId,
  });
  return result.kind === 'compared' ? result.requeued : [];
}
