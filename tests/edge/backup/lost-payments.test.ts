import { describe, expect, it } from 'vitest';
import { ONLINE_TID } from '../../../edge/core/boot.js';
import type { Payment } from '../../../shared/payments.js';
import { newRuid } from '../../../shared/ruid.js';
import { startEdgeHarness } from '../../helpers/edge-harness.js';
import { restorableEdge, RESTORABLE_TID } from '../../helpers/restorable-edge.js';
import { paidLink } from '../../helpers/paid-link.js';
import { cardSale } from '../../helpers/sale-bodies.js';

// Payments lost with the books: the edge's database is restored from a backup older than card
// payments myPOS approved. POST /api/payments/lost asks myPOS once (MPRGetTxnStatus; IPCGetTxnStatus
// for a link) and stores the payment approved only on its word, for the amount asked; nothing
// reaches the terminal. The simulator runs apart from the edge, as myPOS does: it keeps its
// payments while the edge is stopped for the restore.

const books = restorableEdge('lost-payments-', () => ({ MYPOS_IPC_POLL_MS: '100' }));
const TID = RESTORABLE_TID;

async function approvedPurchase(amount: string): Promise<Payment> {
  const ruid = newRuid();
  expect((await books.edge.api('POST', '/api/payments', { ruid, tid: TID, amount })).status).toBe(202);
  return books.edge.waitFor(ruid, ['approved']);
}

const lost = (ruid: string, amount: string, tid = TID) => books.edge.api<{ payment?: Payment; error?: { code: string; reason?: string } }>('POST', '/api/payments/lost', { ruid, tid, amount });

describe('payments lost with the books', () => {
  it('are stored again on myPOS\'s word only: approved for the amount asked, by the terminal or by link; a payment myPOS does not know, or another amount, stays out', async () => {
    const kept = await approvedPurchase('3.00');
    const file = books.backup();

    const card = await approvedPurchase('7.00');
    const other = await approvedPurchase('4.20');
    const link = await paidLink(books.edge, '12.30', books.sim.url);

    await books.restoreFrom(file);
    for (const ruid of [card.ruid, other.ruid, link]) expect((await books.edge.api('GET', `/api/payments/${ruid}`)).status).toBe(404);
    const charges = () => books.sim.simulator.terminals.ledger.filter((entry) => entry.kind === 'purchase').length;
    const chargesBefore = charges();

    // Another amount than myPOS approved: not confirmed, and nothing stored.
    const wrong = await lost(other.ruid, '4.21');
    expect(wrong).toMatchObject({ status: 409, body: { error: { code: 'not_confirmed', reason: 'amount_differs' } } });
    expect((await books.edge.api('GET', `/api/payments/${other.ruid}`)).status).toBe(404);
    // A RUID myPOS never saw.
    const unknown = newRuid();
    expect(await lost(unknown, '1.00')).toMatchObject({ status: 409, body: { error: { code: 'not_confirmed', reason: 'not_found' } } });
    // Both kept for the owner's day close, shop-wide (admin only).
    type LostList = { payments: Array<{ ruid: string; tid: string; amount: string; currency: string; reason: string; askedBy: string }> };
    const listed = await books.edge.api<LostList>('GET', '/api/payments/lost');
    expect(listed.status).toBe(200);
    expect(listed.body.payments.map(({ ruid, tid, amount, currency, reason }) => ({ ruid, tid, amount, currency, reason }))).toEqual([
      { ruid: other.ruid, tid: TID, amount: '4.21', currency: 'EUR', reason: 'amount_differs' },
      { ruid: unknown, tid: TID, amount: '1.00', currency: 'EUR', reason: 'not_found' },
    ]);
    const till = await books.edge.pairDevice();
    expect((await books.edge.api('GET', '/api/payments/lost', undefined, { authorization: `Bearer ${till.token}` })).status).toBe(403);
    // Asked again with the amount myPOS approved: confirmed, and no longer listed.
    expect((await lost(other.ruid, '4.20')).status).toBe(201);
    expect((await books.edge.api<LostList>('GET', '/api/payments/lost')).body.payments.map((payment) => payment.ruid)).toEqual([unknown]);

    const confirmed = await lost(card.ruid, '7.00');
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.payment).toMatchObject({ ruid: card.ruid, tid: TID, state: 'approved', amount: '7.00', transport: 'cloud' });
    expect(confirmed.body.payment?.receipt?.auth_code).toBe(card.receipt?.auth_code);
    expect(await lost(card.ruid, '7.00')).toMatchObject({ status: 200, body: { payment: { state: 'approved' } } });
    // Stored final: the terminal takes the next payment, and nothing was sent to it to confirm.
    expect(charges()).toBe(chargesBefore);
    await approvedPurchase('1.10');
    const terminals = await books.edge.api<{ terminals: Array<{ tid: string; inFlightRuid?: string }> }>('GET', '/api/terminals');
    expect(terminals.body.terminals.find((terminal) => terminal.tid === TID)?.inFlightRuid).toBeUndefined();

    // By link: IPCGetTxnStatus says paid.
    expect((await books.edge.payment(kept.ruid)).state).toBe('approved');
    const linkConfirmed = await lost(link, '12.30', ONLINE_TID);
    expect(linkConfirmed).toMatchObject({ status: 201, body: { payment: { ruid: link, state: 'approved', transport: 'online' } } });

    // The sales of both book as any other.
    expect((await books.edge.api('PUT', `/api/sales/${card.ruid}`, cardSale('7.00', card.ruid))).status).toBe(201);
    expect((await books.edge.api('PUT', `/api/sales/${link}`, cardSale('12.30', link))).status).toBe(201);
    expect((await books.edge.api('PUT', `/api/sales/${other.ruid}`, cardSale('4.20', other.ruid))).status).toBe(201);
    // A day close ends the list: what it did not hold was shown at that close.
    expect((await books.edge.api('POST', '/api/day-closes', { openingFloat: '0.00', countedCash: '0.00' })).status).toBe(201);
    expect((await books.edge.api<LostList>('GET', '/api/payments/lost')).body.payments).toEqual([]);
  }, 60_000);

  it('refuses a LAN terminal (its slip is the only word), an unknown terminal and a device bound to another terminal', async () => {
    const demo = await startEdgeHarness({ EDGE_BACKUP_EVERY: 'off' });
    try {
      const ruid = newRuid();
      expect(await demo.api('POST', '/api/payments/lost', { ruid, tid: 'LAN00001', amount: '2.00' })).toMatchObject({ status: 409, body: { error: { code: 'not_supported' } } });
      expect(await demo.api('POST', '/api/payments/lost', { ruid, tid: '12345678', amount: '2.00' })).toMatchObject({ status: 400, body: { error: { field: 'tid' } } });
      expect(await demo.api('POST', '/api/payments/lost', { ruid, tid: TID, amount: 'two' })).toMatchObject({ status: 400, body: { error: { field: 'amount' } } });
      const bound = await demo.pairDevice({ terminals: ['90000016'] });
      expect((await demo.api('POST', '/api/payments/lost', { ruid, tid: TID, amount: '2.00' }, { authorization: `Bearer ${bound.token}` })).status).toBe(403);
      expect((await demo.api('GET', `/api/payments/${ruid}`)).status).toBe(404);
    } finally {
      await demo.close();
    }
  }, 30_000);
});
