import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRuid } from '../../../shared/ruid.js';
import { ADMIN_HEADERS, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { cashSale } from '../../helpers/sale-bodies.js';

// The books out of the edge: GET /api/sales/export answers every booked sale completed in [from, to),
// as JSON lines or CSV, to an admin only.

type ErrorBody = { error: { code: string; field: string; rule: string; message: string } };
type SaleLine = { id: string; receiptNo: number; totalCents: number; cashKeptCents: number; completedAt: string; bookedBy: string; lines: unknown[] };

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness();
});
afterAll(async () => {
  await h?.close();
});

const exported = async (query: string, headers: Record<string, string> = ADMIN_HEADERS) => {
  const response = await fetch(`${h.url}/api/sales/export?${query}`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

async function book(at: string, amount = '3.00'): Promise<string> {
  const id = newRuid();
  expect((await h.api('PUT', `/api/sales/${id}`, { ...cashSale(amount), createdAt: at, completedAt: at })).status).toBe(201);
  return id;
}

describe('GET /api/sales/export', () => {
  it('answers the sales completed in [from, to) as JSON lines, each the stored sale', async () => {
    const before = await book('2020-01-01T08:59:59.999Z');
    const first = await book('2020-01-01T09:00:00.000Z', '23.45');
    const second = await book('2020-01-01T10:00:00.000Z', '1.05');
    const after = await book('2020-01-01T11:00:00.000Z');
    const answer = await exported('from=2020-01-01T09:00:00.000Z&to=2020-01-01T11:00:00.000Z');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-ndjson');
    expect(answer.text.endsWith('\n')).toBe(true);
    const sales = answer.text.trimEnd().split('\n').map((line) => JSON.parse(line) as SaleLine);
    expect(sales.map((sale) => sale.id)).toEqual([first, second]);
    expect(sales[0]).toMatchObject({ totalCents: 2345, cashKeptCents: 2345, completedAt: '2020-01-01T09:00:00.000Z', bookedBy: 'admin' });
    expect(sales[0]?.receiptNo).toBeGreaterThan(0);
    // Each line is the sale as GET /api/sales lists it.
    const ledger = await h.api<{ sales: SaleLine[] }>('GET', '/api/sales');
    expect(sales).toEqual(ledger.body.sales.filter((sale) => sale.id === first || sale.id === second));
    expect(answer.text).not.toContain(before);
    expect(answer.text).not.toContain(after);
    // format=jsonl is the default; to defaults to now.
    expect((await exported('from=2020-01-01T09:00:00.000Z&to=2020-01-01T11:00:00.000Z&format=jsonl')).text).toBe(answer.text);
    const sinceAfter = (await exported('from=2020-01-01T11:00:00Z')).text.trimEnd().split('\n');
    expect(sinceAfter.map((line) => (JSON.parse(line) as SaleLine).id)).toEqual([after]);
    expect((await exported('from=2019-12-31T00:00:00Z&to=2020-01-02T00:00:00Z')).text.trimEnd().split('\n')).toHaveLength(4);
  });

  it('answers CSV with a header and one row a sale, amounts with two decimals, as an attachment', async () => {
    const id = await book('2021-06-01T12:00:00.000Z', '23.45');
    const from = '2021-06-01T00:00:00.000Z';
    const to = '2021-06-02T00:00:00.000Z';
    const answer = await exported(`from=${from}&to=${to}&format=csv`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="sales-${from}-${to}.csv"`);
    const [header, row, ...rest] = answer.text.split('\n');
    expect(header).toBe('receiptNo,id,completedAt,currency,total,cash,card,channel,tid,bookedBy');
    expect(row).toMatch(new RegExp(`^[1-9][0-9]*,${id},2021-06-01T12:00:00.000Z,EUR,23.45,23.45,0.00,cash,,admin$`));
    expect(rest).toEqual(['']);
    expect((await exported(`from=2022-01-01T00:00:00Z&to=2022-01-02T00:00:00Z&format=csv`)).text).toBe(`${header}\n`);
  });

  it('is for an admin only: a till device gets 403', async () => {
    const till = await h.pairDevice({ role: 'till', terminals: ['*'] });
    const refused = await exported('from=2020-01-01T00:00:00Z', { authorization: `Bearer ${till.token}` });
    expect(refused.status).toBe(403);
    expect((JSON.parse(refused.text) as ErrorBody).error.code).toBe('admin_required');
    expect((await exported('from=2020-01-01T00:00:00Z', {})).status).toBe(401);
  });

  it('refuses a missing or bad from, a bad to and an unknown format, naming the field and the rule', async () => {
    const error = async (query: string) => {
      const answer = await exported(query);
      expect(answer.status, query).toBe(400);
      return (JSON.parse(answer.text) as ErrorBody).error;
    };
    expect(await error('')).toMatchObject({ code: 'invalid', field: 'from', rule: 'required' });
    for (const bad of ['yesterday', '2020-01-02', '2020-13-02T10:00:00Z', '1700000000000']) {
      expect(await error(`from=${encodeURIComponent(bad)}`)).toMatchObject({ code: 'invalid', field: 'from', rule: 'format' });
    }
    expect(await error('from=2020-01-01T00:00:00Z&to=tomorrow')).toMatchObject({ field: 'to', rule: 'format' });
    expect(await error('from=2020-01-02T00:00:00Z&to=2020-01-01T00:00:00Z')).toMatchObject({ field: 'to', rule: 'range' });
    expect(await error('from=2020-01-01T00:00:00Z&format=xlsx')).toMatchObject({ field: 'format', rule: 'enum' });
  });
});

describe('salesCsv', () => {
  it('defuses a cell a spreadsheet would run as a formula, and quotes a comma', async () => {
    const { salesCsv } = await import('../../../edge/core/http/sales-export.js');
    const sale = {
      id: 'S1', receiptNo: 7, lines: [], discount: undefined, note: undefined, totalCents: 105, currency: 'EUR', cashKeptCents: 5, cashTenderedCents: 5, cardCents: 100,
      paymentRuid: 'P1', reference: undefined, createdAt: '2020-01-01T00:00:00Z', completedAt: '2020-01-01T00:00:00Z', receivedAt: '2020-01-01T00:00:01Z',
      tid: '=HYPERLINK("x")', transport: 'online' as const, bookedBy: 'device:a,b', bookedFor: ['*'],
    };
    expect(salesCsv([sale]).split('\n')[1]).toBe(`7,S1,2020-01-01T00:00:00Z,EUR,1.05,0.05,1.00,online,"'=HYPERLINK(""x"")","device:a,b"`);
  });
});
