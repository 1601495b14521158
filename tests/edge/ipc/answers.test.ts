import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyRefund, classifyTxnStatus, flattenIpcJson, readIpcAnswer } from '../../../edge/core/ipc/answers.js';
import { IpcClient, signedPurchaseForm } from '../../../edge/core/ipc/client.js';
import { purchaseRequest } from '../../../edge/core/ipc/requests.js';
import { verifyIpc, type IpcFields } from '../../../edge/core/ipc/signing.js';
import { fetchTransport, type MyposTransport } from '../../../edge/core/mypos/transport.js';
import { MERCHANT, merchantSigner, myposSide } from './mypos-side.js';

// myPOS's JSON answers: flattened in order as the SDK's Response.php does (nested OrderStatus
// values in place, its own Signature included, the outer Signature out), verified, classified;
// and the client posting over real HTTP.

type Json = { [key: string]: string | number | Json };

/** The SDK's getValuesFromMultiDimensionalArray, written out here, without the outer Signature. */
function values(object: Json, top = true): string[] {
  return Object.entries(object).flatMap(([key, value]) => (top && key === 'Signature' ? [] : typeof value === 'object' ? values(value, false) : [String(value)]));
}

const mypos = await myposSide();
const signedJson = async (object: Json): Promise<string> => JSON.stringify({ ...object, Signature: await mypos.sign(values(object)) });

const ORDER = 'R01J0000000ABCDEF';
const EXPECTED = { orderId: ORDER, amountCents: 2345, currency: 'EUR' };
const lastMessage = (method: string, extra: Json = {}): Json => ({ IPCmethod: method, SID: MERCHANT.sid, Amount: '23.45', Currency: 'EUR', OrderID: ORDER, ...extra, Signature: 'aW5uZXI=' });
const statusAnswer = (orderStatus?: Json, extra: Json = {}): Json => ({ IPCMethod: 'IPCGetTxnStatus', OrderID: ORDER, ...(orderStatus ? { OrderStatus: orderStatus } : {}), ...extra, Status: 0, StatusMsg: 'Success' });

async function status(object: Json) {
  const read = await readIpcAnswer(await signedJson(object), mypos.verifier);
  return read.kind === 'verified' ? classifyTxnStatus(read.fields, EXPECTED) : read;
}

describe('reading an IPCGetTxnStatus answer', () => {
  it('flattens as the SDK does: nested values in place, numbers as PHP writes them', async () => {
    const text = await signedJson(statusAnswer(lastMessage('IPCPurchaseNotify', { IPC_Trnref: '813705' })));
    const flat = flattenIpcJson(text);
    if (!flat.ok) throw new Error(flat.reason);
    expect(flat.fields.map(([name]) => name)).toEqual([
      'IPCMethod', 'OrderID', 'OrderStatus.IPCmethod', 'OrderStatus.SID', 'OrderStatus.Amount', 'OrderStatus.Currency', 'OrderStatus.OrderID', 'OrderStatus.IPC_Trnref', 'OrderStatus.Signature', 'Status', 'StatusMsg', 'Signature',
    ]);
    expect(flat.fields.find(([name]) => name === 'Status')?.[1]).toBe('0');
    expect(flattenIpcJson('{"a":true,"b":false,"c":null,"d":1.5}')).toEqual({ ok: true, fields: [['a', '1'], ['b', ''], ['c', ''], ['d', '1.5']] });
    expect(flattenIpcJson('{"1":"x","a":"y"}').ok).toBe(false);
    expect(flattenIpcJson('<IPC_response/>').ok).toBe(false);
    expect(flattenIpcJson('[1]').ok).toBe(false);
  });

  it('classifies by the last message myPOS exchanged for the OrderID', async () => {
    expect(await status(statusAnswer(lastMessage('IPCPurchaseNotify', { IPC_Trnref: '813705' })))).toEqual({ kind: 'approved', orderId: ORDER, amountCents: 2345, currency: 'EUR', trnref: '813705' });
    expect(await status(statusAnswer(lastMessage('IPCPurchaseRollback')))).toEqual({ kind: 'reversed', orderId: ORDER, amountCents: 2345, currency: 'EUR' });
    expect(await status(statusAnswer(lastMessage('IPCPurchaseCancel')))).toMatchObject({ kind: 'cancelled' });
    expect(await status(statusAnswer(lastMessage('IPCPurchase')))).toEqual({ kind: 'pending' });
    expect(await status(statusAnswer())).toEqual({ kind: 'not_found' });
  });

  it('reads PaymentStatus (IPCGetPaymentStatus codes) when there is no OrderStatus', async () => {
    const by = (code: string, extra: Json = {}) => status(statusAnswer(undefined, { PaymentStatus: code, ...extra }));
    expect(await by('1', { Amount: '23.45', Currency: 'EUR', IPC_Trnref: '9' })).toEqual({ kind: 'approved', orderId: ORDER, amountCents: 2345, currency: 'EUR', trnref: '9' });
    expect(await by('2')).toEqual({ kind: 'pending' });
    expect(await by('3')).toMatchObject({ kind: 'declined' });
    expect(await by('4')).toMatchObject({ kind: 'reversed' });
    expect(await by('7')).toMatchObject({ kind: 'bad_answer' });
  });

  it('answers a refusal with its status code, and distrusts answers about another payment', async () => {
    expect(await status({ IPCmethod: 'IPCGetTxnStatus', Status: 4, StatusMsg: 'Invalid SID' })).toEqual({ kind: 'refused', status: 4, statusName: 'E_INVALID_SID', message: 'Invalid SID' });
    // 5 E_INVALID_PARAMS to a checked request: the OrderID is unknown (the simulator's "Order not found").
    expect(await status({ IPCmethod: 'IPCGetTxnStatus', OrderID: ORDER, Status: 5, StatusMsg: 'Order not found' })).toEqual({ kind: 'not_found' });
    expect(await status({ ...statusAnswer(lastMessage('IPCPurchaseNotify')), OrderID: 'OTHER' })).toMatchObject({ kind: 'bad_answer' });
    expect(await status(statusAnswer(lastMessage('IPCPurchaseNotify', { Amount: '23.44' })))).toMatchObject({ kind: 'bad_answer' });
    expect(await status(statusAnswer(lastMessage('IPCPurchaseNotify', { Currency: 'BGN' })))).toMatchObject({ kind: 'bad_answer' });
    expect(await status(statusAnswer(lastMessage('IPCSomethingElse')))).toMatchObject({ kind: 'bad_answer' });
    expect(await status({ IPCmethod: 'IPCGetTxnStatus', StatusMsg: 'no status' })).toMatchObject({ kind: 'bad_answer' });
  });

  it('never trusts an answer whose signature fails: tampered, reordered, nested value changed, unsigned', async () => {
    const good = await signedJson(statusAnswer(lastMessage('IPCPurchaseRollback')));
    expect((await readIpcAnswer(good, mypos.verifier)).kind).toBe('verified');
    const tampered = [
      good.replace('IPCPurchaseRollback', 'IPCPurchaseNotify'),
      good.replace('"Status":0', '"Status":1'),
      good.replace('"StatusMsg":"Success",', '').replace('"Status":0', '"StatusMsg":"Success","Status":0'),
      good.replace(/,"Signature":"[^"]+"}$/, '}'),
      good.replace('"aW5uZXI="', '"aW5uZXJ="'),
    ];
    for (const text of tampered) expect(await readIpcAnswer(text, mypos.verifier)).toEqual({ kind: 'bad_signature' });
    expect(await readIpcAnswer('not json', mypos.verifier)).toMatchObject({ kind: 'bad_answer' });
  });
});

describe('reading an IPCRefund answer', () => {
  const refund = async (object: Json) => {
    const read = await readIpcAnswer(await signedJson(object), mypos.verifier);
    return read.kind === 'verified' ? classifyRefund(read.fields, { amountCents: 500, currency: 'EUR' }) : read;
  };
  it('is ok only as Refund.php decides: Status 0, an IPC_Trnref and the amount and currency echoed', async () => {
    expect(await refund({ IPCmethod: 'IPCRefund', IPC_Trnref: '813706', Amount: 5, Currency: 'EUR', Status: 0, StatusMsg: 'Success' })).toEqual({ kind: 'ok', trnref: '813706', amountCents: 500, currency: 'EUR' });
    expect(await refund({ IPCmethod: 'IPCRefund', IPC_Trnref: '813706', Amount: '4.00', Currency: 'EUR', Status: 0, StatusMsg: 'Success' })).toMatchObject({ kind: 'bad_answer' });
    expect(await refund({ IPCmethod: 'IPCRefund', Amount: '5.00', Currency: 'EUR', Status: 0, StatusMsg: 'Success' })).toMatchObject({ kind: 'bad_answer' });
    expect(await refund({ IPCmethod: 'IPCRefund', Status: 9, StatusMsg: 'Wrong amount' })).toMatchObject({ kind: 'refused', status: 9, statusName: 'E_WRONG_AMOUNT' });
  });
});

describe('the client', () => {
  let server: Server;
  let url: string;
  let answer: (body: string) => Promise<{ status: number; text: string; delayMs?: number }>;
  let received: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        received.push(`${request.headers['content-type']} ${request.headers['user-agent']}`);
        void answer(body).then(({ status, text, delayMs }) => setTimeout(() => response.writeHead(status, { 'content-type': 'application/json' }).end(text), delayMs ?? 0));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vmp/checkout-test`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = async (transport: MyposTransport = fetchTransport(), timeoutMs = 5_000) => {
    const { signer, publicKey } = await merchantSigner();
    return { client: new IpcClient({ endpoint: url, merchant: MERCHANT, signer, verifier: mypos.verifier, transport, timeoutMs }), publicKey };
  };

  it('posts the signed form in order over HTTP and classifies the verified answer', async () => {
    received = [];
    let posted: IpcFields = [];
    answer = async (body) => {
      posted = [...new URLSearchParams(body)];
      return { status: 200, text: await signedJson(statusAnswer(lastMessage('IPCPurchaseNotify', { IPC_Trnref: '813705' }))) };
    };
    const { client: ipc, publicKey } = await client();
    expect(await ipc.txnStatus(EXPECTED)).toMatchObject({ kind: 'approved', trnref: '813705' });
    expect(posted.map(([name]) => name)).toEqual(['IPCmethod', 'IPCVersion', 'IPCLanguage', 'SID', 'WalletNumber', 'KeyIndex', 'Source', 'OrderID', 'OutputFormat', 'Signature']);
    expect(await verifyIpc(posted, publicKey)).toBe(true);
    expect(received[0]).toMatch(/^application\/x-www-form-urlencoded mypos-till/);
  });

  it('refuses a bad answer, a bad signature, an HTTP error, a timeout and an invalid input', async () => {
    const { client: ipc } = await client(fetchTransport(), 300);
    answer = async () => ({ status: 200, text: (await signedJson(statusAnswer(lastMessage('IPCPurchaseRollback')))).replace('Rollback', 'Notify') });
    expect(await ipc.txnStatus(EXPECTED)).toEqual({ kind: 'bad_signature' });
    answer = async () => ({ status: 200, text: '<html>error</html>' });
    expect(await ipc.txnStatus(EXPECTED)).toMatchObject({ kind: 'bad_answer' });
    answer = async () => ({ status: 503, text: '' });
    expect(await ipc.txnStatus(EXPECTED)).toMatchObject({ kind: 'unreachable', reason: 'http_status', httpStatus: 503 });
    answer = async () => ({ status: 200, text: '{}', delayMs: 1_000 });
    expect(await ipc.txnStatus(EXPECTED)).toMatchObject({ kind: 'unreachable', reason: 'timeout' });
    expect(await ipc.txnStatus({ ...EXPECTED, orderId: 'a b' })).toMatchObject({ kind: 'invalid', error: { field: 'OrderID', rule: 'charset' } });
    const refused: MyposTransport = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await (await client(refused)).client.refund({ orderId: 'F1', trnref: '1', amountCents: 100, currency: 'EUR' })).toMatchObject({ kind: 'unreachable', reason: 'transport' });
  });

  it('signs the purchase form for the browser, with the key its KeyIndex names', async () => {
    const { signer, publicKey } = await merchantSigner();
    const fields = purchaseRequest(MERCHANT, { orderId: ORDER, amountCents: 2345, currency: 'EUR', urlOk: 'https://t.example/ok', urlCancel: 'https://t.example/c', urlNotify: 'https://t.example/n' });
    if (!fields.ok) throw new Error(fields.error.message);
    const form = await signedPurchaseForm(fields.value, signer);
    expect(form.at(-1)?.[0]).toBe('Signature');
    expect(await verifyIpc(form, publicKey)).toBe(true);
    await expect(signedPurchaseForm(fields.value, (await merchantSigner('2')).signer)).rejects.toThrow(/KeyIndex/);
  });
});
