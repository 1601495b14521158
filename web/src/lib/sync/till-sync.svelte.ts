import { formatCents } from '../../../../shared/money.js';
import { IN_FLIGHT_STATES, type Payment } from '../../../../shared/payments.js';
import { api } from '../api.js';
import { applyPayment, recordCardSale, recordCashSale, recordPaidCardSale, taskId, withdrawQueuedPayment } from '../db/outbox.js';
import { openTillDb, type LocalSale, type TillDb } from '../db/schema.js';
import { activity } from '../state/activity.svelte.js';
import { noteApproval } from '../state/terminals.svelte.js';
import { send } from '../net/http.js';
import { stored } from '../platform/storage.js';
import { OutboxRunner } from './runner.js';

// The page's side of offline-first: one database, one outbox runner per tab (only the lock holder
// sends), and a BroadcastChannel so every tab sees each change as it happens.

/** How long a card request may wait for the network before it expires unsent (default 120 s). */
export function cardDeadlineMs(): number {
  const configured = stored.cardDeadlineMs.get();
  return configured !== undefined && configured > 0 ? configured : 120_000;
}

export type TillMessage = { readonly type: 'sale'; readonly sale: LocalSale } | { readonly type: 'payment'; readonly payment: Payment };

export const channel = new BroadcastChannel('till');
const listeners = new Set<(message: TillMessage) => void>();

/** Messages from this tab and the others, alike. */
export function onTillMessage(listener: (message: TillMessage) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publish(message: TillMessage): void {
  channel.postMessage(message);
  for (const listener of listeners) listener(message);
}

channel.addEventListener('message', (event: MessageEvent<TillMessage>) => {
  for (const listener of listeners) listener(event.data);
  if (event.data.type === 'sale') void refreshPending();
});

export const sync = $state({ pending: 0, done: 0, total: 0, lastError: '' });

let database: Promise<TillDb> | undefined;

export function db(): Promise<TillDb> {
  database ??= openTillDb(undefined, () => {
    // A newer version of the till opened the database in another tab: give way to it.
    void database?.then((open) => open.close());
    database = undefined;
    if (!activity.paymentInFlight) location.reload();
  });
  return database;
}

let runner: OutboxRunner | undefined;

async function refreshPending(): Promise<void> {
  sync.pending = await (await db()).count('outbox');
}

/** The edge's in-flight states, widened: a local sale's state may be one the edge never has (queued, expired…). */
const IN_FLIGHT: ReadonlySet<string> = IN_FLIGHT_STATES;
let resuming: Promise<void> | undefined;

/**
 * Card sales this device last saw in flight (the page closed or reloaded before their end was
 * stored): asked of the edge until each has ended, so an approval always reaches the local record
 * and the ledger, even when no payment screen is open.
 */
export function resumeInFlight(): Promise<void> {
  resuming ??= (async () => {
    for (let round = 0; round < 200; round += 1) {
      const open = (await (await db()).getAll('sales')).filter((sale) => sale.tender === 'card' && sale.paymentState !== undefined && IN_FLIGHT.has(sale.paymentState));
      if (open.length === 0) return;
      for (const sale of open) {
        const answer = await api.payment(sale.id);
        if (answer.ok) await notePayment(answer.data.payment);
      }
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    }
  })().finally(() => (resuming = undefined));
  return resuming;
}

/** How often the till asks whether the edge's books were restored (a cheap list of ids). */
const REFILL_EVERY_MS = 60_000;

/**
 * After the edge's books were restored from a backup, sales this till had booked since are sent
 * again (sync/refill.ts, loaded when first used: it stays out of the first load), and the owner is told.
 */
async function refill(): Promise<void> {
  if (!navigator.onLine) return;
  const told = await (await import('./refill.js')).refillThisTill(await db(), send, taskId, formatCents, stored);
  // The notice itself is kept on the device (RestoredBooksNotice.svelte reads it).
  if (!told || told.requeued.length === 0) return;
  for (const sale of told.requeued) publish({ type: 'sale', sale });
  await refreshPending();
  kickSync();
}

export async function startSync(): Promise<void> {
  const opened = await db();
  runner = new OutboxRunner({
    db: opened,
    baseUrl: '',
    // The one fetch (net/http.ts): a 401 (not paired, or revoked) shows the pairing screen; the sales stay queued.
    // The edge's books were restored and it waits for this till to compare (503 ledger_restored, sent
    // again by the runner): compare now, even against a generation seen before, rather than in a minute.
    fetch: async (input, init) => {
      const answer = await send(String(input), init);
      if (answer.headers.has('x-ledger-restored')) {
        stored.ledgerGeneration.remove();
        void refill();
      }
      return answer;
    },
    withLock: (work) => navigator.locks.request('till-outbox', () => work()),
    now: () => Date.now(),
    random: () => Math.random(),
    online: () => navigator.onLine,
    onSaleChanged: (sale) => {
      publish({ type: 'sale', sale });
      void refreshPending();
    },
    onProgress: (progress) => {
      sync.done = progress.done;
      sync.total = progress.total;
    },
  });
  addEventListener('online', () => {
    void runner?.kick();
    void resumeInFlight();
    void refill();
  });
  setInterval(() => void refill(), REFILL_EVERY_MS);
  await refreshPending();
  void resumeInFlight();
  await runner.kick();
  await refreshPending();
  void refill();
}

export function kickSync(): void {
  void runner?.kick().then(refreshPending);
}

export async function ringUpCard(sale: LocalSale): Promise<void> {
  await recordCardSale(await db(), sale, Date.now(), cardDeadlineMs());
  publish({ type: 'sale', sale: { ...sale, paymentState: 'queued' } });
  await refreshPending();
  kickSync();
}

export async function ringUpCash(sale: LocalSale): Promise<void> {
  await recordCashSale(await db(), sale, Date.now());
  publish({ type: 'sale', sale: { ...sale, sync: 'pending' } });
  await refreshPending();
  kickSync();
}

/** A card payment approved outside the outbox (a pre-authorisation's completion): booked in the ledger once. */
export async function bookPaidCard(sale: LocalSale): Promise<void> {
  if (!(await recordPaidCardSale(await db(), sale, Date.now()))) return;
  publish({ type: 'sale', sale: { ...sale, paymentState: 'approved', sync: 'pending' } });
  await refreshPending();
  kickSync();
}

export async function withdraw(saleId: string): Promise<'withdrawn' | 'sending' | 'gone'> {
  const result = await withdrawQueuedPayment(await db(), saleId);
  const sale = await (await db()).get('sales', saleId);
  if (sale) publish({ type: 'sale', sale });
  await refreshPending();
  return result;
}

/** A payment update seen by this tab: stored (an approval queues the sale for the ledger). */
export async function notePayment(payment: Payment): Promise<void> {
  // Known at once on this till: the same amount again on that terminal is asked first.
  noteApproval(payment);
  const sale = await applyPayment(await db(), payment, Date.now());
  if (sale) publish({ type: 'sale', sale });
  if (payment.state === 'approved') kickSync();
  await refreshPending();
}
