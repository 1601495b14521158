import { describe, expect, it } from 'vitest';
import { NOTIFY_ANSWER, parseIpcNotification, readIpcNotification } from '../../../edge/core/ipc/notify.js';
import { MERCHANT, myposSide } from './mypos-side.js';

// Notification bodies as myPOS posts them (the manual's Appendix III, the fields of
// IPCPurchaseNotify, IPCPurchaseRollback, IPCPurchaseCancel, IPCPurchaseOK), signed with the
// fixtures' key standing in for myPOS's, read and verified.

const mypos = await myposSide();

type Pairs = Array<[string, string]>;

const NOTIFY: Pairs = [
  ['IPCmethod', 'IPCPurchaseNotify'],
  ['SID', MERCHANT.sid],
  ['Amount', '50.00'],
  ['Currency', 'EUR'],
  ['OrderID', '01J0000000ABCDEFGHJKMNPQRS'],
  ['IPC_Trnref', '813705'],
  ['RequestSTAN', '000006'],
  ['RequestDateTime', '2015-08-21 10:39:37'],
  ['PaymentMethod', '1'],
  ['BillingDescriptor', 'myPOS  * TESTSTORE'],
  ['PAN', '0007'],
];

/** Signs the values in order and form-encodes them, Signature last (as myPOS posts). */
async function body(pairs: Pairs, tamper?: (signed: Pairs) => Pairs): Promise<string> {
  const signed: Pairs = [...pairs, ['Signature', await mypos.sign(pairs.map(([, value]) => value))]];
  return new URLSearchParams(tamper ? tamper(signed) : signed).toString();
}

const read = async (text: string) => parseIpcNotification(text, mypos.verifier, { sid: MERCHANT.sid });

describe('notifications', () => {
  it('reads a verified IPCPurchaseNotify as paid, and myPOS is answered OK', async () => {
    const paid = await read(await body(NOTIFY));
    expect(paid).toMatchObject({ kind: 'paid', orderId: '01J0000000ABCDEFGHJKMNPQRS', amountCents: 5000, currency: 'EUR', trnref: '813705', requestStan: '000006', requestDateTime: '2015-08-21 10:39:37' });
    expect(NOTIFY_ANSWER).toBe('OK');
  });

  it('reads rollback, cancel and the browser return', async () => {
    const base: Pairs = [['SID', MERCHANT.sid], ['Amount', '50'], ['Currency', 'EUR'], ['OrderID', 'R1']];
    expect(await read(await body([['IPCmethod', 'IPCPurchaseRollback'], ...base]))).toMatchObject({ kind: 'rolled_back', orderId: 'R1', amountCents: 5000 });
    expect(await read(await body([['IPCmethod', 'IPCPurchaseCancel'], ...base]))).toMatchObject({ kind: 'cancelled', orderId: 'R1' });
    expect(await read(await body([['IPCmethod', 'IPCPurchaseOK'], ...base, ['IPC_Trnref', '9']]))).toMatchObject({ kind: 'returned_ok', trnref: '9' });
  });

  it('refuses a bad signature: tampered value, reordered fields, none, another field added', async () => {
    const cases = [
      await body(NOTIFY, (signed) => signed.map(([name, value]) => [name, name === 'Amount' ? '5.00' : value])),
      await body(NOTIFY, (signed) => [signed[1], signed[0], ...signed.slice(2)] as Pairs),
      await body(NOTIFY, (signed) => signed.slice(0, -1)),
      await body(NOTIFY, (signed) => [...signed.slice(0, -1), ['Extra', '1'], ...signed.slice(-1)]),
      await body(NOTIFY, (signed) => signed.map(([name, value]) => [name, name === 'Signature' ? `${value.slice(0, -4)}AAA=` : value])),
    ];
    for (const text of cases) expect(await read(text)).toMatchObject({ kind: 'refused', reason: 'bad_signature', field: 'Signature' });
  });

  it('refuses a verified message with a field missing, an unknown method, another store, a field twice', async () => {
    const without = (name: string) => NOTIFY.filter(([field]) => field !== name);
    expect(await read(await body(without('OrderID')))).toMatchObject({ reason: 'missing_field', field: 'OrderID' });
    expect(await read(await body(without('IPC_Trnref')))).toMatchObject({ reason: 'missing_field', field: 'IPC_Trnref' });
    expect(await read(await body(without('Amount')))).toMatchObject({ reason: 'missing_field', field: 'Amount' });
    expect(await read(await body(without('IPCmethod')))).toMatchObject({ reason: 'missing_field', field: 'IPCmethod' });
    expect(await read(await body([['IPCmethod', 'IPCRefund'], ...NOTIFY.slice(1)]))).toMatchObject({ reason: 'unknown_method' });
    expect(await read(await body(NOTIFY.map(([name, value]) => [name, name === 'SID' ? '999' : value])))).toMatchObject({ reason: 'wrong_store' });
    expect(await read(await body(NOTIFY.map(([name, value]) => [name, name === 'Amount' ? '50,00' : value])))).toMatchObject({ reason: 'malformed', field: 'Amount' });
    expect(await read(`${await body(NOTIFY)}&OrderID=other`)).toMatchObject({ reason: 'malformed' });
    expect(await read('')).toMatchObject({ reason: 'malformed' });
    expect(await read('x'.repeat(70_000))).toMatchObject({ reason: 'malformed' });
  });

  it('reads fields already parsed the same way', async () => {
    const fields = [...new URLSearchParams(await body(NOTIFY))];
    expect(await readIpcNotification(fields, mypos.verifier)).toMatchObject({ kind: 'paid', amountCents: 5000 });
    expect(await readIpcNotification([...fields, ['Signature', 'x']], mypos.verifier)).toMatchObject({ reason: 'malformed' });
  });
});
