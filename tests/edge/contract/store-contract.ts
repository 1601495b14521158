import { expect, it } from 'vitest';
import { INITIAL_MACHINE } from '../../../edge/core/payments/machine.js';
import type { AccessStore, LedgerStore, PaymentStore } from '../../../edge/core/ports.js';
import { ledgerSale as sale } from '../../helpers/ledger-fixtures.js';
import type { Payment, PaymentState } from '../../../shared/payments.js';

// What every runtime's store must do, one suite for all: the Node adapter (node:sqlite) and the
// Workers adapter (the store Durable Object in workerd, called over RPC). The one-payment-in-flight
// rule here is what coordinates a terminal: it must hold in the store itself.

export interface ContractStores {
  readonly store: PaymentStore;
  readonly access: AccessStore;
  readonly ledger: LedgerStore;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter += 1)}`.toUpperCase();

function payment(ruid: string, tid: string, state: PaymentState = 'accepted', extra: Partial<Payment> = {}): Payment {
  const at = '2026-11-22T10:00:00.000Z';
  return { ruid, kind: 'purchase', tid, currency: 'EUR', amount: '5.00', amountCents: 500, reference: undefined, originalRuid: undefined, state, myposStatus: undefined, responseCode: undefined, reason: 'sending', receipt: undefined, createdAt: at, updatedAt: at, ...extra };
}

export function storeContract(stores: () => ContractStores): void {
  it('keeps one payment in flight per terminal, even when asked at once', async () => {
    const { store } = stores();
    const tid = unique('T').slice(0, 8).padEnd(8, '0');
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => store.insertPayment({ payment: payment(unique(`R${index}`), tid), machine: INITIAL_MACHINE })));
    expect(results.filter((result) => result.kind === 'created')).toHaveLength(1);
    expect(results.filter((result) => result.kind === 'busy')).toHaveLength(9);
    const created = results.find((result) => result.kind === 'created');
    const ruid = created?.kind === 'created' ? created.event.ruid : '';
    // Settled, the terminal takes the next one.
    await store.savePayment({ payment: payment(ruid, tid, 'approved'), machine: INITIAL_MACHINE }, true);
    expect((await store.insertPayment({ payment: payment(unique('R'), tid), machine: INITIAL_MACHINE })).kind).toBe('created');
  });

  it('answers a known RUID with the stored payment, and numbers events in order for replay', async () => {
    const { store } = stores();
    const ruid = unique('R');
    const tid = unique('U').slice(0, 8).padEnd(8, '0');
    const first = await store.insertPayment({ payment: payment(ruid, tid), machine: INITIAL_MACHINE });
    expect((await store.insertPayment({ payment: payment(ruid, tid), machine: INITIAL_MACHINE })).kind).toBe('exists');
    const sent = await store.savePayment({ payment: payment(ruid, tid, 'sent'), machine: INITIAL_MACHINE }, true);
    const done = await store.savePayment({ payment: payment(ruid, tid, 'approved'), machine: INITIAL_MACHINE }, true);
    const firstId = first.kind === 'created' ? first.event.id : 0;
    expect([firstId, sent?.id ?? 0, done?.id ?? 0].every((id, index, all) => index === 0 || id > (all[index - 1] ?? 0))).toBe(true);
    expect((await store.eventsAfter(ruid, firstId)).map((event) => event.state)).toEqual(['sent', 'approved']);
    expect((await store.lastEvent(ruid))?.state).toBe('approved');
    expect((await store.getPayment(ruid))?.payment.state).toBe('approved');
  });

  it('counts refunds and links them to their purchase', async () => {
    const { store } = stores();
    const original = unique('P');
    const tid = unique('V').slice(0, 8).padEnd(8, '0');
    await store.insertPayment({ payment: payment(original, tid), machine: INITIAL_MACHINE });
    await store.savePayment({ payment: payment(original, tid, 'approved'), machine: INITIAL_MACHINE }, true);
    const refund = unique('F');
    await store.insertPayment({ payment: payment(refund, tid, 'accepted', { kind: 'refund', originalRuid: original, amountCents: 200, amount: '2.00' }), machine: INITIAL_MACHINE });
    expect(await store.refundedCents(original)).toBe(200);
    expect((await store.linkedPayments(original)).map((linked) => linked.ruid)).toEqual([refund]);
  });

  it('redeems a pairing code once', async () => {
    const { access } = stores();
    const codeHash = unique('H');
    await access.savePairingCode({ codeHash, role: 'till', terminals: ['*'], expiresAt: Date.now() + 60_000, createdAt: '2026-11-22T10:00:00.000Z' });
    const device = { id: unique('D'), name: 'Till', tokenHash: unique('K'), createdAt: '2026-11-22T10:00:00.000Z', revokedAt: undefined };
    const [one, two] = await Promise.all([access.redeemPairingCode(codeHash, Date.now(), device), access.redeemPairingCode(codeHash, Date.now(), { ...device, id: unique('D'), tokenHash: unique('K') })]);
    expect([one, two].filter((result) => result !== undefined)).toHaveLength(1);
    expect((await access.deviceByTokenHash(device.tokenHash))?.role ?? (await access.getDevice(two?.id ?? ''))?.role).toBe('till');
  });

  it('books a sale once and closes it into exactly one day close', async () => {
    const { ledger } = stores();
    const id = unique('S');
    const created = await ledger.putSale(sale(id, 1234));
    expect(created.kind).toBe('created');
    expect((await ledger.putSale(sale(id, 1234))).kind).toBe('same');
    expect((await ledger.putSale(sale(id, 1235))).kind).toBe('conflict');
    const close = { closedAt: '2026-11-22T20:00:00.000Z', closedBy: 'test', openingFloatCents: 0, countedCashCents: 0, shopCurrency: 'EUR' };
    const [a, b] = await Promise.all([ledger.closeDay(close), ledger.closeDay(close)]);
    const gross = (report: typeof a.report) => Number(report.byCurrency.EUR?.gross ?? '0');
    const holding = [a, b].filter((one) => gross(one.report) >= 12.34);
    expect(holding).toHaveLength(1);
    expect(a.no).not.toBe(b.no);
    expect((await ledger.getDayClose(holding[0]?.no ?? 0))?.report).toEqual(holding[0]?.report);
  });

  it('books a card payment in one sale only, and numbers receipts without gaps, even when asked at once', async () => {
    const { ledger } = stores();
    const ruid = unique('P');
    const ids = Array.from({ length: 6 }, (_, index) => unique(`B${index}`));
    const results = await Promise.all(ids.map((id) => ledger.putSale(sale(id, 500, { cardCents: 500, paymentRuid: ruid, tid: '90000015' }))));
    expect(results.filter((result) => result.kind === 'created')).toHaveLength(1);
    const booked = results.filter((result) => result.kind === 'payment_booked');
    expect(booked).toHaveLength(5);
    const holder = results.find((result) => result.kind === 'created')?.sale.id;
    for (const result of booked) expect(result.sale.id).toBe(holder);
    expect((await ledger.saleForPayment(ruid))?.id).toBe(holder);
    const more = await Promise.all(Array.from({ length: 5 }, (_, index) => ledger.putSale(sale(unique(`N${index}`), 100))));
    const numbers = more.map((result) => result.sale.receiptNo).sort((x, y) => x - y);
    for (const [index, no] of numbers.entries()) if (index > 0) expect(no).toBe((numbers[index - 1] ?? 0) + 1);
  });

  it('holds give-backs within the limits when they are asked at once', async () => {
    const { ledger } = stores();
    const id = unique('L');
    await ledger.putSale(sale(id, 50_000, { cardCents: 50_000, paymentRuid: unique('Q'), tid: '90000015' }));
    const limits = { perSaleCents: 10_000, perDayCents: 30_000, nowMs: Date.parse('2026-11-22T12:00:00.000Z') };
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, index) => ledger.claimGiveBack({ id: unique(`G${index}`), kind: 'card_refund', saleId: id, paymentRuid: undefined, actor: 'device:x', cents: 3_000, currency: 'EUR', atMs: limits.nowMs }, limits)),
    );
    expect(claims.filter((claim) => claim.kind === 'ok')).toHaveLength(3);
    expect(claims.find((claim) => claim.kind === 'limit')).toMatchObject({ scope: 'sale', leftCents: 1_000 });
    expect(await ledger.limitLeft(id, undefined, 'device:x', 'EUR', limits)).toEqual({ saleCents: 1_000, dayCents: 21_000 });
    // The day's limit is an amount in each currency: leva given back do not use up euros.
    expect(await ledger.limitLeft(undefined, undefined, 'device:x', 'BGN', limits)).toEqual({ saleCents: 10_000, dayCents: 30_000 });
  });
}
