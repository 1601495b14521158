import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDatabase } from '../../../edge/adapters/node/node-sqlite.js';
import { renewLedgerGeneration } from '../../../edge/adapters/sql/ledger-generation.js';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// After a restore the tills refill the ledger: GET /api/sales/ids answers the ledger's generation and
// the ids of the sales completed since a time (a till device: its own), and GET /api/health publishes
// the same generation; a new generation (npm run restore) shows in both.

type IdsBody = { generation: string; ids: string[]; more: boolean };
type ErrorBody = { error: { code: string; field: string; rule: string; message: string } };

const dataDir = join(tmpdir(), `sale-ids-${process.pid}`);
let h: EdgeHarness;
beforeAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  h = await startEdgeHarness({ EDGE_DATA_DIR: dataDir });
});
afterAll(async () => {
  await h?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const completedAt = (at: string) => ({ ...cashSale('3.00'), createdAt: at, completedAt: at });
const ids = (since: string, headers: Record<string, string> = {}) => h.api<IdsBody>('GET', `/api/sales/ids?since=${encodeURIComponent(since)}`, undefined, headers);

async function book(at: string, headers: Record<string, string> = {}): Promise<string> {
  const id = newRuid();
  expect((await h.api('PUT', `/api/sales/${id}`, completedAt(at), headers)).status).toBe(201);
  return id;
}

describe('GET /api/sales/ids', () => {
  it('lists the sales completed at or after since, the earliest first, with the generation', async () => {
    const before = await book('2030-01-01T09:00:00.000Z');
    const booked = [await book('2030-01-02T10:00:02.000Z'), await book('2030-01-02T10:00:00.000Z'), await book('2030-01-02T12:00:00+02:00')];
    const answer = await ids('2030-01-02T10:00:00.000Z');
    expect(answer.status).toBe(200);
    expect(answer.body.generation).toMatch(/^[0-9a-f]{32}$/);
    expect(answer.body.more).toBe(false);
    // 12:00+02:00 is 10:00:00 Z, at since; ordered by the time, then the id.
    const [a, b, c] = booked as [string, string, string];
    expect(answer.body.ids).toEqual([...[b, c].sort(), a]);
    expect(answer.body.ids).not.toContain(before);
    expect((await ids('2030-01-02T10:00:01Z')).body.ids).toEqual([a]);
    expect((await ids('2031-01-01T00:00:00Z')).body.ids).toEqual([]);
  });

  it('refuses a missing or bad since, naming the field and the rule', async () => {
    const missing = await h.api<ErrorBody>('GET', '/api/sales/ids');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'invalid', field: 'since', rule: 'required' });
    for (const bad of ['yesterday', '2030-01-02', '2030-13-02T10:00:00Z', '1700000000000']) {
      const refused = await h.api<ErrorBody>('GET', `/api/sales/ids?since=${encodeURIComponent(bad)}`);
      expect(refused.status, bad).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid', field: 'since', rule: 'format' });
    }
  });

  it('gives a till device only the sales it booked, an admin all', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['*'] });
    const other = await h.pairDevice({ role: 'till', terminals: ['*'] });
    const since = '2032-05-05T08:00:00.000Z';
    const mine = await book('2032-05-05T08:00:01.000Z', as(till.token));
    const theirs = await book('2032-05-05T08:00:02.000Z', as(other.token));
    const admins = await book('2032-05-05T08:00:03.000Z');
    expect((await ids(since, as(till.token))).body.ids).toEqual([mine]);
    expect((await ids(since, as(other.token))).body.ids).toEqual([theirs]);
    expect((await ids(since)).body.ids).toEqual([mine, theirs, admins]);
    const adminDevice = await h.pairDevice({ role: 'admin' });
    expect((await ids(since, as(adminDevice.token))).body.ids).toEqual([mine, theirs, admins]);
    // Without a credential: nothing.
    expect((await h.api('GET', `/api/sales/ids?since=${since}`, undefined, { authorization: '' })).status).toBe(401);
  });

  it('is not taken for a sale called "ids"', async () => {
    expect((await h.api<ErrorBody>('GET', '/api/sales/ids')).body.error.field).toBe('since');
  });
});

describe('the ledger generation', () => {
  it('is the same in /api/health and in the ids answer, call after call, and changes when the ledger is renewed', async () => {
    const health = await h.api<{ generation: string; ok: boolean }>('GET', '/api/health');
    expect(health.status).toBe(200);
    const first = (await ids('2030-01-01T00:00:00Z')).body.generation;
    expect(health.body.generation).toBe(first);
    expect((await h.api<{ generation: string }>('GET', '/api/health')).body.generation).toBe(first);
    expect((await ids('2031-01-01T00:00:00Z')).body.generation).toBe(first);
    // What npm run restore does to the database, here on the running edge's file (a second connection).
    const db = openNodeDatabase(join(dataDir, 'edge.sqlite'));
    let renewed: string;
    try {
      renewed = renewLedgerGeneration(db);
    } finally {
      db.close();
    }
    expect(renewed).not.toBe(first);
    const after = await ids('2030-01-01T00:00:00Z');
    expect(after.body.generation).toBe(renewed);
    expect(after.body.ids.length).toBeGreaterThanOrEqual(4);
    expect((await h.api<{ generation: string }>('GET', '/api/health')).body.generation).toBe(renewed);
  });
});

describe('receipt numbers of sales sent again (PUT with receiptNo, POST /api/sales/printed)', () => {
  it('keeps a printed number that is free; numbers new sales after the highest printed; refuses bad values by field and rule', async () => {
    const till = await h.pairDevice();
    const highest = async () => Math.max(0, ...(await h.api<{ sales: Array<{ receiptNo: number }> }>('GET', '/api/sales')).body.sales.map((sale) => sale.receiptNo));
    const top = await highest();
    expect((await h.api('POST', '/api/sales/printed', { upTo: top + 3 }, as(till.token))).status).toBe(204);
    // Lower later: it only grows.
    expect((await h.api('POST', '/api/sales/printed', { upTo: 1 }, as(till.token))).status).toBe(204);
    const fresh = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${newRuid()}`, completedAt('2026-11-22T10:00:00.000Z'), as(till.token));
    expect(fresh.body.sale.receiptNo).toBe(top + 4);
    const back = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${newRuid()}`, { ...completedAt('2026-11-22T10:00:00.000Z'), receiptNo: top + 2 }, as(till.token));
    expect(back).toMatchObject({ status: 201, body: { sale: { receiptNo: top + 2 } } });
    // Its number taken since: the next one.
    const taken = await h.api<{ sale: { receiptNo: number } }>('PUT', `/api/sales/${newRuid()}`, { ...completedAt('2026-11-22T10:00:00.000Z'), receiptNo: top + 4 }, as(till.token));
    expect(taken.body.sale.receiptNo).toBe(top + 5);

    for (const upTo of [1.5, '3', -1, 2_147_483_648]) {
      expect(await h.api<ErrorBody>('POST', '/api/sales/printed', { upTo }, as(till.token))).toMatchObject({ status: 400, body: { error: { field: 'upTo' } } });
    }
    expect(await h.api<ErrorBody>('PUT', `/api/sales/${newRuid()}`, { ...completedAt('2026-11-22T10:00:00.000Z'), receiptNo: 0 }, as(till.token))).toMatchObject({ status: 400, body: { error: { field: 'receiptNo' } } });
    expect((await h.api('POST', '/api/sales/printed', { upTo: 5 }, { authorization: '' })).status).toBe(401);
  });

  it('after a restore, keeps a device\'s new sales waiting until it said what it printed (503 ledger_restored, sent again by any till); a sale already held, and the admin, are answered', async () => {
    // The books were restored (the test above renewed the generation, as npm run restore does).
    const till = await h.pairDevice();
    const sale = newRuid();
    const body = completedAt('2026-11-22T10:00:00.000Z');
    const waits = await fetch(`${h.url}/api/sales/${sale}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...as(till.token) }, body: JSON.stringify(body) });
    expect(waits.status).toBe(503);
    expect(waits.headers.get('x-ledger-restored')).toBe('1');
    expect(waits.headers.get('retry-after')).toBe('5');
    expect(((await waits.json()) as ErrorBody).error.code).toBe('ledger_restored');
    expect((await h.api('GET', `/api/sales/${sale}`)).status).toBe(404);
    // The admin (no device: no printed receipts of its own) books at once; a sale already held is answered to anyone.
    const byAdmin = newRuid();
    expect((await h.api('PUT', `/api/sales/${byAdmin}`, body)).status).toBe(201);
    expect((await h.api('PUT', `/api/sales/${byAdmin}`, body, as(till.token))).status).toBe(200);
    // Said (nothing printed: 0), its sales go.
    expect((await h.api('POST', '/api/sales/printed', { upTo: 0 }, as(till.token))).status).toBe(204);
    expect((await h.api('PUT', `/api/sales/${sale}`, body, as(till.token))).status).toBe(201);
  });
});
