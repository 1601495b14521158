import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import type { ZReport } from '../../../shared/z-report.js';
import { ADMIN_HEADERS, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { paidLink } from '../../helpers/paid-link.js';
import { cardSale, cashSale } from '../../helpers/sale-bodies.js';
import { expectReportReconciled } from '../../helpers/z-identities.js';

// A payment by link (myPOS Online Checkout) in the books, over real HTTP: booked as the sale's card
// part like a terminal's, but counted as its own tender (online) in the X and Z reports and their
// CSV, on the ONLINE01 row, with its refund; a terminal's card stays card.

let h: EdgeHarness;
beforeAll(async () => {
  h = await startEdgeHarness({ MYPOS_IPC_POLL_MS: '150' });
});
afterAll(async () => {
  await h?.close();
});

const xReport = async () => (await h.api<{ report: ZReport }>('GET', '/api/day-closes/current')).body.report;
const csvOf = async (path: string) => (await fetch(`${h.url}${path}`, { headers: ADMIN_HEADERS })).text();
const xCsv = () => csvOf('/api/day-closes/current/csv');

describe('a link payment in the books', () => {
  let linkRuid = '';
  const saleId = newRuid();

  it('after a link sale and a cash sale, the X report has the link as online and no card; the CSV has the online row', async () => {
    linkRuid = await paidLink(h, '12.30');
    const booked = await h.api<{ sale: { tid: string; transport?: string; receiptNo: number } }>('PUT', `/api/sales/${saleId}`, cardSale('12.30', linkRuid));
    expect(booked.status).toBe(201);
    expect(booked.body.sale).toMatchObject({ tid: 'ONLINE01', transport: 'online' });
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, cashSale('5.00'))).status).toBe(201);
    // The same sale again is the same sale.
    expect((await h.api('PUT', `/api/sales/${saleId}`, cardSale('12.30', linkRuid))).status).toBe(200);

    const report = await xReport();
    expectReportReconciled(report);
    expect(report.byCurrency.EUR).toMatchObject({ count: 2, gross: '17.30', net: '17.30', cash: '5.00', card: '0.00', online: '12.30', refunds: '0.00', onlineRefunds: '0.00' });
    expect(report.byCurrency.EUR?.byTerminal).toEqual([
      { terminal: null, net: '5.00' },
      { terminal: 'ONLINE01', net: '12.30' },
    ]);
    const csv = (await xCsv()).split('\n');
    expect(csv).toContain('tender,cash,EUR,5.00');
    expect(csv).toContain('tender,card,EUR,0.00');
    expect(csv).toContain('tender,online,EUR,12.30');
    expect(csv).toContain('terminal,ONLINE01,EUR,12.30');
  });

  it('a refund of the link is an online refund; a terminal\'s card sale is card', async () => {
    const refund = await h.api<{ payment: Payment }>('POST', '/api/refunds', { ruid: newRuid(), originalRuid: linkRuid, amount: '2.30' });
    expect(refund.status).toBe(202);
    expect((await h.waitFor(refund.body.payment.ruid, ['approved', 'declined', 'unknown'])).state).toBe('approved');
    const card = newRuid();
    expect((await h.api('POST', '/api/payments', { ruid: card, tid: '90000015', amount: '4.00' })).status).toBe(202);
    await h.waitFor(card, ['approved']);
    expect((await h.api('PUT', `/api/sales/${newRuid()}`, cardSale('4.00', card))).status).toBe(201);

    const report = await xReport();
    expectReportReconciled(report);
    expect(report.byCurrency.EUR).toMatchObject({ gross: '21.30', refunds: '2.30', cardRefunds: '0.00', onlineRefunds: '2.30', refundCount: 1, net: '19.00', cash: '5.00', card: '4.00', online: '10.00' });
    const csv = (await xCsv()).split('\n');
    expect(csv).toContain('refunds,card,EUR,0.00');
    expect(csv).toContain('refunds,online,EUR,2.30');
    expect(csv).toContain('refunds,total,EUR,2.30');
    expect(csv).toContain('tender,card,EUR,4.00');
    expect(csv).toContain('tender,online,EUR,10.00');
  });

  it('the Z report keeps the online tender, and is reproduced from its events', async () => {
    const closed = await h.api<{ close: { no: number; report: ZReport } }>('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '5.00' });
    expect(closed.status).toBe(201);
    expect(closed.body.close.report.byCurrency.EUR).toMatchObject({ card: '4.00', online: '10.00' });
    const again = await h.api<{ reproduced: boolean }>('GET', `/api/day-closes/${closed.body.close.no}`);
    expect(again.body.reproduced).toBe(true);
    const csv = await csvOf(`/api/day-closes/${closed.body.close.no}/csv`);
    expect(csv.split('\n')).toContain('tender,online,EUR,10.00');
  });
});
