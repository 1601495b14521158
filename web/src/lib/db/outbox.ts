import type { IDBPObjectStore } from 'idb';
import type { Payment } from '../../../../shared/payments.js';
import { nextLocalNo } from '../sale-summary.js';
import type { LocalSale, OutboxTask, TaskKind, TillDb, TillSchema } from './schema.js';

// Each step of a sale is one IndexedDB transaction: the sale and its task are written together,
// and a task's result is applied together with the sale's new state. No fetch ever happens inside
// a transaction (it would commit early); the runner sends between two of them.

export function taskId(kind: TaskKind, saleId: string): string {
  return `${kind}:${saleId}`;
}

function newTask(kind: TaskKind, saleId: string, now: number, deadlineAt?: number): OutboxTask {
  return { id: taskId(kind, saleId), kind, saleId, createdAt: now, attempts: 0, nextAttemptAt: now, deadlineAt, sendingSince: undefined, lastError: undefined };
}

/**
 * The sale with its local number, read and given inside the transaction that stores it (a
 * read-write transaction on `sales` runs alone, in every tab), so two sales never share one.
 */
async function numbered(sales: IDBPObjectStore<TillSchema, ['sales', 'outbox'], 'sales', 'readwrite'>, sale: LocalSale): Promise<LocalSale> {
  const localNo = nextLocalNo(await sales.get(sale.id), await sales.count());
  return localNo === undefined ? sale : { ...sale, localNo };
}

/** A card sale: stored, and its payment request queued with a deadline. */
export async function recordCardSale(db: TillDb, sale: LocalSale, now: number, deadlineMs: number): Promise<void> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  const sales = tx.objectStore('sales');
  await sales.put({ ...(await numbered(sales, sale)), tender: 'card', paymentState: 'queued', sync: 'none' });
  await tx.objectStore('outbox').put(newTask('create_payment', sale.id, now, now + deadlineMs));
  await tx.done;
}

/** A cash sale is complete at once: stored, and queued for the ledger. */
export async function recordCashSale(db: TillDb, sale: LocalSale, now: number): Promise<void> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  const sales = tx.objectStore('sales');
  await sales.put({ ...(await numbered(sales, sale)), tender: 'cash', paymentState: undefined, completedAt: sale.completedAt ?? new Date(now).toISOString(), sync: 'pending' });
  await tx.objectStore('outbox').put(newTask('put_sale', sale.id, now));
  await tx.done;
}

/**
 * A sale paid by a card payment made outside the outbox (the completion of a pre-authorisation):
 * stored as approved and queued for the ledger, once — a second call finds it and does nothing.
 */
export async function recordPaidCardSale(db: TillDb, sale: LocalSale, now: number): Promise<boolean> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  const sales = tx.objectStore('sales');
  const exists = (await sales.getKey(sale.id)) !== undefined;
  if (!exists) {
    await sales.put({ ...(await numbered(sales, sale)), tender: 'card', paymentState: 'approved', completedAt: sale.completedAt ?? new Date(now).toISOString(), sync: 'pending' });
    await tx.objectStore('outbox').put(newTask('put_sale', sale.id, now));
  }
  await tx.done;
  return !exists;
}

/**
 * What the edge said about a card sale's payment. An approval completes the sale and queues it for
 * the ledger, once, whichever tab saw it first.
 */
export async function applyPayment(db: TillDb, payment: Payment, now: number): Promise<LocalSale | undefined> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  const sales = tx.objectStore('sales');
  const sale = await sales.get(payment.ruid);
  if (!sale) {
    await tx.done;
    return undefined;
  }
  const approved = payment.state === 'approved';
  const next: LocalSale = {
    ...sale,
    paymentState: payment.state,
    completedAt: approved ? (sale.completedAt ?? payment.updatedAt) : sale.completedAt,
    sync: approved && sale.sync === 'none' ? 'pending' : sale.sync,
  };
  if (JSON.stringify(next) !== JSON.stringify(sale)) await sales.put(next);
  if (approved && sale.sync === 'none') await tx.objectStore('outbox').put(newTask('put_sale', sale.id, now));
  await tx.done;
  return next;
}

/**
 * The cashier withdraws a card request that has not reached the edge. 'sending': it is on the wire
 * now; 'gone': it already reached the edge (cancel there instead).
 */
export async function withdrawQueuedPayment(db: TillDb, saleId: string): Promise<'withdrawn' | 'sending' | 'gone'> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const task = await outbox.get(taskId('create_payment', saleId));
  let result: 'withdrawn' | 'sending' | 'gone' = 'gone';
  if (task?.sendingSince !== undefined) result = 'sending';
  else if (task) {
    await outbox.delete(task.id);
    const sale = await tx.objectStore('sales').get(saleId);
    if (sale) await tx.objectStore('sales').put({ ...sale, paymentState: 'withdrawn', message: undefined });
    result = 'withdrawn';
  }
  await tx.done;
  return result;
}

/**
 * Receipt numbers the edge gave (History asks it about sales synced before the till kept them):
 * stored on the sales that lack one, in one transaction. Answers the sales it changed.
 */
export async function noteReceiptNumbers(db: TillDb, numbers: ReadonlyMap<string, number>): Promise<LocalSale[]> {
  if (numbers.size === 0) return [];
  const tx = db.transaction('sales', 'readwrite');
  const changed: LocalSale[] = [];
  for (const [id, receiptNo] of numbers) {
    const sale = await tx.store.get(id);
    if (sale && sale.receiptNo === undefined) {
      const next = { ...sale, receiptNo };
      await tx.store.put(next);
      changed.push(next);
    }
  }
  await tx.done;
  return changed;
}

export async function getTask(db: TillDb, id: string): Promise<OutboxTask | undefined> {
  return db.get('outbox', id);
}

export async function listSales(db: TillDb): Promise<LocalSale[]> {
  return (await db.getAllFromIndex('sales', 'createdAt')).reverse();
}

export async function pendingTasks(db: TillDb): Promise<OutboxTask[]> {
  return db.getAll('outbox');
}

/** Tasks due now, oldest sale first. */
export async function dueTasks(db: TillDb, now: number): Promise<OutboxTask[]> {
  const due = await db.getAllFromIndex('outbox', 'nextAttemptAt', IDBKeyRange.upperBound(now));
  return due.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export async function markSending(db: TillDb, task: OutboxTask, now: number): Promise<OutboxTask | undefined> {
  const tx = db.transaction('outbox', 'readwrite');
  const current = await tx.store.get(task.id);
  const next = current ? { ...current, sendingSince: now } : undefined;
  if (next) await tx.store.put(next);
  await tx.done;
  return next;
}

/** The task is done: removed, and the sale updated, in one transaction. */
export async function finishTask(db: TillDb, task: OutboxTask, update: (sale: LocalSale) => LocalSale): Promise<LocalSale | undefined> {
  const tx = db.transaction(['sales', 'outbox'], 'readwrite');
  await tx.objectStore('outbox').delete(task.id);
  const sale = await tx.objectStore('sales').get(task.saleId);
  const next = sale ? update(sale) : undefined;
  if (next) await tx.objectStore('sales').put(next);
  await tx.done;
  return next;
}

export async function retryTask(db: TillDb, task: OutboxTask, nextAttemptAt: number, error: string): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  const current = await tx.store.get(task.id);
  if (current) await tx.store.put({ ...current, attempts: current.attempts + 1, nextAttemptAt, sendingSince: undefined, lastError: error });
  await tx.done;
}

export async function clearSending(db: TillDb): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  for (const task of await tx.store.getAll()) {
    if (task.sendingSince !== undefined) await tx.store.put({ ...task, sendingSince: undefined });
  }
  await tx.done;
}
