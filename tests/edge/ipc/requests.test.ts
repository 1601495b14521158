import { describe, expect, it } from 'vitest';
import { purchaseRequest, refundRequest, reversalRequest, txnStatusRequest, type IpcPurchaseInput } from '../../../edge/core/ipc/requests.js';
import { parseIpcAmount } from '../../../edge/core/ipc/values.js';
import { MERCHANT } from './mypos-side.js';

// The builders against the SDK's `process()` order (IPC/Purchase.php, GetTxnStatus.php,
// Refund.php, Reversal.php), our amounts as "23.45", the cart-lines rule, and refusals by field.

const PURCHASE: IpcPurchaseInput = {
  orderId: '01J0000000ABCDEFGHJKMNPQRS',
  amountCents: 2345,
  currency: 'EUR',
  urlOk: 'https://till.example/pay/t/ok',
  urlCancel: 'https://till.example/pay/t/cancel',
  urlNotify: 'https://till.example/api/ipc/notify',
  lines: [
    { name: 'HP ProBook sticker', quantity: 2, unitPriceCents: 1000 },
    { name: 'Delivery', quantity: 1, unitPriceCents: 345 },
  ],
};

const HEAD = ['IPCmethod', 'IPCVersion', 'IPCLanguage', 'SID', 'WalletNumber', 'KeyIndex', 'Source'];

function built(result: ReturnType<typeof purchaseRequest>) {
  if (!result.ok) throw new Error(`${result.error.field}: ${result.error.message}`);
  return result.value;
}

function refusal(result: ReturnType<typeof purchaseRequest>) {
  if (result.ok) throw new Error('expected a refusal');
  return { field: result.error.field, rule: result.error.rule };
}

describe('IPCPurchase', () => {
  it('lays the fields out in the SDK order, values and cart lines included', () => {
    const fields = built(purchaseRequest(MERCHANT, PURCHASE));
    expect(fields.map(([name]) => name)).toEqual([
      ...HEAD,
      'Currency', 'Amount', 'OrderID', 'URL_OK', 'URL_Cancel', 'URL_Notify', 'Note', 'expires_in',
      'CartItems',
      'Article_1', 'Quantity_1', 'Price_1', 'Amount_1', 'Currency_1',
      'Article_2', 'Quantity_2', 'Price_2', 'Amount_2', 'Currency_2',
      'CardTokenRequest', 'PaymentParametersRequired', 'PaymentMethod',
    ]);
    const value = (name: string) => fields.find(([field]) => field === name)?.[1];
    expect(fields.slice(0, 7).map(([, v]) => v)).toEqual(['IPCPurchase', '1.4', 'en', '000000000000010', '61938166610', '1', 'mypos-till']);
    expect([value('Currency'), value('Amount'), value('OrderID'), value('Note'), value('expires_in')]).toEqual(['EUR', '23.45', PURCHASE.orderId, '', '86400']);
    expect([value('CartItems'), value('Article_1'), value('Quantity_1'), value('Price_1'), value('Amount_1'), value('Currency_1')]).toEqual(['2', 'HP ProBook sticker', '2', '10.00', '20.00', 'EUR']);
    expect([value('Price_2'), value('Amount_2')]).toEqual(['3.45', '3.45']);
    // No customer details asked (3), no card token (0), the SDK's default payment methods (3).
    expect([value('CardTokenRequest'), value('PaymentParametersRequired'), value('PaymentMethod')]).toEqual(['0', '3', '3']);
    expect(fields.some(([name]) => name.startsWith('customer'))).toBe(false);
  });

  it('makes one line of the whole amount when the cart has none, and takes the options', () => {
    const fields = built(purchaseRequest({ ...MERCHANT, language: 'bg' }, { ...PURCHASE, lines: undefined, singleLineName: 'Sale 42', note: 'Table 4', expiresInSeconds: 900, paymentMethod: 'card' }));
    const value = (name: string) => fields.find(([field]) => field === name)?.[1];
    expect([value('IPCLanguage'), value('CartItems'), value('Article_1'), value('Quantity_1'), value('Price_1'), value('Amount_1')]).toEqual(['bg', '1', 'Sale 42', '1', '23.45', '23.45']);
    expect([value('Note'), value('expires_in'), value('PaymentMethod')]).toEqual(['Table 4', '900', '1']);
  });

  it('refuses lines that do not add up to the amount', () => {
    expect(refusal(purchaseRequest(MERCHANT, { ...PURCHASE, amountCents: 2346 }))).toEqual({ field: 'lines', rule: 'sum_of_lines' });
    expect(refusal(purchaseRequest(MERCHANT, { ...PURCHASE, lines: [] }))).toEqual({ field: 'lines', rule: 'required' });
  });

  it('refuses a bad value before anything is built, naming the field and the rule', () => {
    const line = (patch: object) => ({ ...PURCHASE, lines: [{ name: 'A', quantity: 1, unitPriceCents: 2345, ...patch }] });
    const cases: Array<[Partial<IpcPurchaseInput>, { field: string; rule: string }]> = [
      [{ amountCents: 0 }, { field: 'amount', rule: 'positive' }],
      [{ amountCents: 12.5 }, { field: 'amount', rule: 'integer_cents' }],
      [{ currency: 'eur' }, { field: 'currency', rule: 'iso4217' }],
      [{ orderId: 'a&b' }, { field: 'OrderID', rule: 'charset' }],
      [{ orderId: 'x'.repeat(81) }, { field: 'OrderID', rule: 'charset' }],
      [{ urlOk: 'not a url' }, { field: 'URL_OK', rule: 'format' }],
      [{ urlCancel: 'ftp://till.example/x' }, { field: 'URL_Cancel', rule: 'format' }],
      [{ urlNotify: 'http://till.example/api/ipc/notify' }, { field: 'URL_Notify', rule: 'format' }],
      [{ urlNotify: 'https://user:pw@till.example/n' }, { field: 'URL_Notify', rule: 'format' }],
      [{ note: 'a\u0007b' }, { field: 'Note', rule: 'plain_text' }],
      [{ expiresInSeconds: 10 }, { field: 'expires_in', rule: 'range' }],
      [line({ quantity: 1.5 }), { field: 'lines[0].quantity', rule: 'integer' }],
      [line({ quantity: 0 }), { field: 'lines[0].quantity', rule: 'range' }],
      [line({ unitPriceCents: 0 }), { field: 'lines[0].unitPriceCents', rule: 'positive' }],
      [line({ name: '  ' }), { field: 'lines[0].name', rule: 'length' }],
      [line({ name: 'A\u202Eb' }), { field: 'lines[0].name', rule: 'plain_text' }],
    ];
    for (const [patch, expected] of cases) expect(refusal(purchaseRequest(MERCHANT, { ...PURCHASE, ...patch }))).toEqual(expected);
    expect(refusal(purchaseRequest({ ...MERCHANT, walletNumber: '123' }, PURCHASE))).toEqual({ field: 'WalletNumber', rule: 'digits' });
    expect(refusal(purchaseRequest({ ...MERCHANT, sid: 'abc' }, PURCHASE))).toEqual({ field: 'SID', rule: 'digits' });
    expect(refusal(purchaseRequest({ ...MERCHANT, language: 'eng' }, PURCHASE))).toEqual({ field: 'IPCLanguage', rule: 'format' });
  });

  it('lets a loopback notify URL be http (the simulator and local tests)', () => {
    expect(purchaseRequest(MERCHANT, { ...PURCHASE, urlNotify: 'http://127.0.0.1:8787/api/ipc/notify' }).ok).toBe(true);
  });
});

describe('the server-to-server requests', () => {
  it('IPCGetTxnStatus: by OrderID, json', () => {
    const fields = built(txnStatusRequest(MERCHANT, { orderId: 'R1' }));
    expect(fields.map(([name]) => name)).toEqual([...HEAD, 'OrderID', 'OutputFormat']);
    expect(fields.slice(-2)).toEqual([['OrderID', 'R1'], ['OutputFormat', 'json']]);
    expect(fields[0]).toEqual(['IPCmethod', 'IPCGetTxnStatus']);
  });

  it('IPCRefund: the refund its own OrderID, the purchase by IPC_Trnref', () => {
    const fields = built(refundRequest(MERCHANT, { orderId: 'REFUND-1', trnref: '813705', amountCents: 500, currency: 'EUR' }));
    expect(fields.map(([name]) => name)).toEqual([...HEAD, 'Currency', 'Amount', 'OrderID', 'IPC_Trnref', 'OutputFormat']);
    expect(fields.slice(-5).map(([, v]) => v)).toEqual(['EUR', '5.00', 'REFUND-1', '813705', 'json']);
    expect(refusal(refundRequest(MERCHANT, { orderId: 'REFUND-1', trnref: 'a b', amountCents: 500, currency: 'EUR' }))).toEqual({ field: 'IPC_Trnref', rule: 'charset' });
    expect(refusal(refundRequest(MERCHANT, { orderId: 'REFUND-1', trnref: '1', amountCents: 1_000_000, currency: 'EUR' }))).toEqual({ field: 'amount', rule: 'max' });
  });

  it('IPCReversal: by IPC_Trnref', () => {
    const fields = built(reversalRequest(MERCHANT, { trnref: '813705' }));
    expect(fields.map(([name]) => name)).toEqual([...HEAD, 'IPC_Trnref', 'OutputFormat']);
  });

  it('reads myPOS amounts as it writes them', () => {
    expect(['50', '50.0', '50.00', '23.45', '0.05'].map(parseIpcAmount)).toEqual([5000, 5000, 5000, 2345, 5]);
    expect(['', '-1.00', '1.234', '1e3', '01.00', ' 1.00'].map(parseIpcAmount)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
