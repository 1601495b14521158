import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signIpc, verifyIpc, type IpcFields } from '../../../edge/core/ipc/signing.js';
import { importCertificatesPem, importPrivateKeyPem } from '../../../edge/core/mypos/keys.js';
import { IPC_DEMO_SID, IPC_DEMO_WALLET, type Checkout } from '../../../edge/simulator/ipc/index.js';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { startHarness, until, type Harness } from '../../helpers/mypos-harness.js';

// The simulator's Online Checkout (IPC v1.4) over real HTTP: the edge's side is played here with
// signIpc and the edge's test partner key; a small listener on 127.0.0.1 plays URL_Notify.

let h: Harness;
let partnerKey: CryptoKey;
let simKey: CryptoKey;
let listener: NotifyListener;
let order = 0;

interface NotifyListener {
  readonly url: string;
  readonly received: IpcFields[];
  /** The bodies to answer, in turn; "OK" once they run out. */
  answers: string[];
  close(): Promise<void>;
}

async function startListener(): Promise<NotifyListener> {
  const received: IpcFields[] = [];
  const state = { answers: [] as string[] };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push([...new URLSearchParams(body).entries()]);
      response.writeHead(200, { 'content-type': 'text/plain' }).end(state.answers.shift() ?? 'OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/ipc/notify`,
    received,
    get answers() {
      return state.answers;
    },
    set answers(value: string[]) {
      state.answers = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  h = await startHarness();
  partnerKey = await importPrivateKeyPem(h.partnerKeyPem);
  const [certificate] = await importCertificatesPem(await readFile(h.sim.certificateFile, 'utf8'));
  if (!certificate) throw new Error('no simulator certificate');
  simKey = certificate.publicKey;
  listener = await startListener();
});
afterAll(async () => {
  await listener.close();
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset', {});
  listener.received.length = 0;
  listener.answers = [];
});
afterEach(async () => {
  await fetch(`${h.sim.url}/sim/ipc/switches`, { method: 'DELETE' });
});

const standard = (method: string): Array<[string, string]> => [
  ['IPCmethod', method],
  ['IPCVersion', '1.4'],
  ['IPCLanguage', 'EN'],
  ['SID', IPC_DEMO_SID],
  ['WalletNumber', IPC_DEMO_WALLET],
  ['KeyIndex', '1'],
  ['Source', 'SDK_PHP_1.2.3'],
];

/** An IPCPurchase in the SDK's order: 23.45 EUR for two cart lines. */
function purchase(orderId: string, overrides: Record<string, string> = {}): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ...standard('IPCPurchase'),
    ['Currency', 'EUR'],
    ['Amount', '23.45'],
    ['OrderID', orderId],
    ['URL_OK', 'http://127.0.0.1:9/pay/ok'],
    ['URL_Cancel', 'http://127.0.0.1:9/pay/cancel'],
    ['URL_Notify', listener.url],
    ['Note', 'Table 4'],
    ['expires_in', '900'],
    ['CartItems', '2'],
    ['Article_1', 'Coffee & cake'],
    ['Quantity_1', '2'],
    ['Price_1', '10.00'],
    ['Amount_1', '20.00'],
    ['Currency_1', 'EUR'],
    ['Article_2', 'Delivery'],
    ['Quantity_2', '1'],
    ['Price_2', '3.45'],
    ['Amount_2', '3.45'],
    ['Currency_2', 'EUR'],
    ['CardTokenRequest', '0'],
    ['PaymentParametersRequired', '3'],
    ['PaymentMethod', '1'],
  ];
  return fields.map(([name, value]) => [name, overrides[name] ?? value]);
}

const newOrderId = () => `ORD-${Date.now()}-${++order}`;

async function post(fields: IpcFields, path = '/vmp/checkout'): Promise<Response> {
  return fetch(`${h.sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields.map(([name, value]) => [name, value])) });
}

/** A signed purchase posted as the browser does; the page and its session id. */
async function open(orderId = newOrderId(), overrides: Record<string, string> = {}) {
  const response = await post(await signIpc(purchase(orderId, overrides), partnerKey));
  const page = await response.text();
  const session = /\/vmp\/checkout\/s\/([0-9a-f]+)\/pay/.exec(page)?.[1];
  return { orderId, response, page, session };
}

async function pagePost(session: string, action: string, fields: Record<string, string> = {}) {
  const response = await fetch(`${h.sim.url}/vmp/checkout/s/${session}/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  return { status: response.status, page: await response.text() };
}

/** The form the result page sends back to the store: its action and its hidden fields, in order. */
function returnForm(page: string): { action: string; fields: IpcFields } {
  const action = /<form id="back" method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [unescape(m[1] ?? ''), unescape(m[2] ?? '')] as const);
  return { action, fields };
}

type Json = Record<string, unknown>;

/** Nested values flattened under dotted names, as the SDK's Response verifies (only the outer Signature left out). */
function flatten(object: Json, prefix = ''): IpcFields {
  return Object.entries(object).flatMap(([name, value]): IpcFields => (typeof value === 'object' && value !== null ? flatten(value as Json, `${prefix}${name}.`) : [[prefix + name, String(value)]]));
}

async function call(method: string, fields: Array<[string, string]>, format = 'json'): Promise<{ json: Json; verified: boolean }> {
  const response = await post(await signIpc([...standard(method), ...fields, ['OutputFormat', format]], partnerKey));
  const json = (await response.json()) as Json;
  return { json, verified: await verifyIpc(flatten(json), simKey) };
}

const status = (orderId: string) => call('IPCGetTxnStatus', [['OrderID', orderId]]);

const checkout = (orderId: string) => h.control<Checkout>(`/checkouts/${encodeURIComponent(orderId)}`);

describe('IPCPurchase: the checkout page', () => {
  it('a valid purchase shows the store, the amount, the cart and the test cards', async () => {
    const { response, page, session } = await open();
    expect(response.status).toBe(200);
    expect(page).toContain('23.45 EUR');
    expect(page).toContain('Coffee &amp; cake');
    expect(page).toContain('Demo Shop');
    expect(page).toContain('4000000000003220');
    expect(page).toContain('name="viewport"');
    expect(page).not.toMatch(/<(link|img|script) [^>]*(src|href)=/);
    expect(session).toMatch(/^[0-9a-f]{24}$/);
    const again = await fetch(`${h.sim.url}/vmp/checkout/s/${session}`);
    expect(await again.text()).toContain('23.45 EUR');
  });

  it('the test environment path answers the same', async () => {
    const response = await post(await signIpc(purchase(newOrderId()), partnerKey), '/vmp/checkout-test');
    expect(await response.text()).toContain('23.45 EUR');
  });

  it.each([
    ['a missing field', (f: Array<[string, string]>) => f.filter(([name]) => name !== 'URL_Notify'), '1'],
    ['an empty amount', (f: Array<[string, string]>) => f.map(([n, v]): [string, string] => [n, n === 'Amount' ? '' : v]), '1'],
    ['a cart that does not add up', (f: Array<[string, string]>) => f.map(([n, v]): [string, string] => [n, n === 'Amount' ? '30.00' : v]), '9'],
    ['an unknown SID', (f: Array<[string, string]>) => f.map(([n, v]): [string, string] => [n, n === 'SID' ? '000000000000099' : v]), '4'],
    ['a URL that is not one', (f: Array<[string, string]>) => f.map(([n, v]): [string, string] => [n, n === 'URL_OK' ? 'not a url' : v]), '5'],
  ])('%s: the error page, status %s, nothing stored', async (_, change, code) => {
    const orderId = newOrderId();
    const response = await post(await signIpc(change(purchase(orderId)), partnerKey));
    const page = await response.text();
    expect(response.status).toBe(400);
    expect(page).toContain('has sent a shopping cart with errors in it');
    expect(page).toContain(`data-ipc-status="${code}"`);
    expect((await fetch(`${h.sim.url}/sim/checkouts/${orderId}`)).status).toBe(404);
  });

  it('a wrong signature is refused: another key, or a value changed after signing', async () => {
    const otherKey = await importPrivateKeyPem(opensslFixtures.pkcs8Pem);
    const tampered = (await signIpc(purchase(newOrderId()), partnerKey)).map(([n, v]): [string, string] => [n, n === 'Amount_2' ? '3.46' : v]);
    for (const fields of [await signIpc(purchase(newOrderId()), otherKey), tampered]) {
      const response = await post(fields);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('data-ipc-status="2"');
    }
  });

  it('an OrderID may be sent again until it is paid, then it is a duplicate', async () => {
    const first = await open();
    const second = await open(first.orderId);
    expect(second.session).not.toBe(first.session);
    expect((await fetch(`${h.sim.url}/vmp/checkout/s/${first.session}`)).status).toBe(404);
    await h.control(`/checkouts/${second.orderId}/pay`, { card: '4111111111111111' });
    const third = await open(first.orderId);
    expect(third.response.status).toBe(400);
    expect(third.page).toContain('data-ipc-status="20"');
  });
});

describe('paying on the page', () => {
  it('an approving card: the notify is signed, retried until OK, then stops; the browser goes to URL_OK', async () => {
    listener.answers = ['ERROR', 'OK '];
    const { orderId, session } = await open();
    const { status: code, page } = await pagePost(session ?? '', 'pay', { card: '4111 1111 1111 1111' });
    expect(code).toBe(200);
    expect(page).toContain('Payment approved');
    const back = returnForm(page);
    expect(back.action).toBe('http://127.0.0.1:9/pay/ok');
    expect(back.fields[0]).toEqual(['IPCmethod', 'IPCPurchaseOK']);
    expect(await verifyIpc(back.fields, simKey)).toBe(true);

    await until(async () => (listener.received.length >= 3 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.received).toHaveLength(3);
    const [notify] = listener.received;
    const values = new Map(notify);
    expect([...values.keys()].slice(0, 8)).toEqual(['IPCmethod', 'SID', 'Amount', 'Currency', 'OrderID', 'IPC_Trnref', 'RequestSTAN', 'RequestDateTime']);
    expect(values.get('IPCmethod')).toBe('IPCPurchaseNotify');
    expect(values.get('OrderID')).toBe(orderId);
    expect(values.get('Amount')).toBe('23.45');
    expect(values.get('PAN')).toBe('1111');
    expect(notify?.at(-1)?.[0]).toBe('Signature');
    for (const received of listener.received) {
      expect(received).toEqual(notify);
      expect(await verifyIpc(received, simKey)).toBe(true);
    }
    const seen = await checkout(orderId);
    expect(seen.state).toBe('paid');
    expect(seen.notify).toBe('delivered');
    expect(seen.notifies.map((attempt) => [attempt.body, attempt.accepted])).toEqual([
      ['ERROR', false],
      ['OK ', false],
      ['OK', true],
    ]);
  });

  it('IPCGetTxnStatus answers the paid order, signed, with the notify as OrderStatus (json and xml)', async () => {
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '5555555555554444' });
    const { json, verified } = await status(orderId);
    expect(verified).toBe(true);
    expect(json).toMatchObject({ IPCmethod: 'IPCGetTxnStatus', OrderID: orderId, Amount: '23.45', Currency: 'EUR', PaymentStatus: '1', Status: '0', StatusMsg: 'Success' });
    const orderStatus = json.OrderStatus as Json;
    expect(orderStatus.IPCmethod).toBe('IPCPurchaseNotify');
    expect(orderStatus.IPC_Trnref).toBe(json.IPC_Trnref);
    expect(await verifyIpc(Object.entries(orderStatus).map(([n, v]) => [n, String(v)]), simKey)).toBe(true);

    const xml = await (await post(await signIpc([...standard('IPCGetTxnStatus'), ['OrderID', orderId], ['OutputFormat', 'xml']], partnerKey))).text();
    expect(xml).toContain('<IPC_response><IPCmethod>IPCGetTxnStatus</IPCmethod>');
    expect(xml).toContain('<PaymentStatus>1</PaymentStatus>');
    expect(xml).toContain('<OrderStatus><IPCmethod>IPCPurchaseNotify</IPCmethod>');
  });

  it('a server-to-server call html-escaped as the SDK posts it (signed unescaped) verifies', async () => {
    const { orderId } = await open('A&B <1>');
    expect((await checkout(orderId)).orderId).toBe('A&B <1>');
    const signed = await signIpc([...standard('IPCGetTxnStatus'), ['OrderID', orderId], ['OutputFormat', 'json']], partnerKey);
    const escaped = signed.map(([n, v]): [string, string] => [n, n === 'OrderID' ? 'A&amp;B &lt;1&gt;' : v]);
    expect((await (await post(escaped)).json()) as Json).toMatchObject({ OrderID: 'A&B <1>', PaymentStatus: '2', Status: '0' });
  });

  it('an unknown OrderID is 5, a status call with a wrong signature 2, both signed', async () => {
    const unknown = await status('never-sent');
    expect(unknown.verified).toBe(true);
    expect(unknown.json).toMatchObject({ Status: '5', StatusMsg: 'Order not found' });
    const forged = (await signIpc([...standard('IPCGetTxnStatus'), ['OrderID', 'x'], ['OutputFormat', 'json']], partnerKey)).map(([n, v]): [string, string] => [n, n === 'OrderID' ? 'y' : v]);
    const json = (await (await post(forged)).json()) as Json;
    expect(json).toMatchObject({ IPCmethod: 'IPCGetTxnStatus', Status: '2' });
    expect(await verifyIpc(flatten(json), simKey)).toBe(true);
  });

  it('IPCRefund: part, then the rest; never more than what is left', async () => {
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    const trnref = String((await status(orderId)).json.IPC_Trnref);
    const refund = (amount: string, refundId: string) => call('IPCRefund', [['Currency', 'EUR'], ['Amount', amount], ['OrderID', refundId], ['IPC_Trnref', trnref]]);

    const part = await refund('10.00', `${orderId}-R1`);
    expect(part.verified).toBe(true);
    expect(part.json).toMatchObject({ IPCmethod: 'IPCRefund', IPC_Trnref: trnref, Amount: '10.00', Currency: 'EUR', Status: '0' });
    expect((await refund('13.46', `${orderId}-R2`)).json).toMatchObject({ Status: '9' });
    expect((await refund('5.00', `${orderId}-R1`)).json).toMatchObject({ Status: '20' });
    expect((await refund('13.45', orderId)).json).toMatchObject({ Status: '0' });
    expect((await refund('0.01', `${orderId}-R3`)).json).toMatchObject({ Status: '9' });
    expect((await call('IPCRefund', [['Currency', 'EUR'], ['Amount', '1.00'], ['OrderID', 'x'], ['IPC_Trnref', '1']])).json).toMatchObject({ Status: '5' });
    const seen = (await checkout(orderId)) as Checkout & { refundedAmountCents: number };
    expect(seen.refundedAmountCents).toBe(2345);
  });

  it.each([
    ['4000000000000002', 'Declined by the card issuer'],
    ['4000000000009995', 'insufficient funds'],
  ])('a declining card %s: declined, no notify, the browser goes to URL_Cancel', async (card, reason) => {
    const { orderId, session } = await open();
    const { page } = await pagePost(session ?? '', 'pay', { card });
    expect(page).toContain(reason);
    const back = returnForm(page);
    expect(back.action).toBe('http://127.0.0.1:9/pay/cancel');
    expect(new Map(back.fields).get('IPCmethod')).toBe('IPCPurchaseCancel');
    expect(await verifyIpc(back.fields, simKey)).toBe(true);
    const { json } = await status(orderId);
    expect(json).toMatchObject({ PaymentStatus: '3', Status: '0' });
    expect((json.OrderStatus as Json).IPCmethod).toBe('IPCPurchaseCancel');
    expect(listener.received).toHaveLength(0);
  });

  it('a 3-D Secure card asks for the code on a second page; the right code approves, a wrong one declines', async () => {
    const first = await open();
    const challenge = await pagePost(first.session ?? '', 'pay', { card: '4000000000003220' });
    expect(challenge.page).toContain('3-D Secure');
    const code = /<strong id="code">([0-9]{6})<\/strong>/.exec(challenge.page)?.[1] ?? '';
    expect((await status(first.orderId)).json).toMatchObject({ PaymentStatus: '2' });
    const done = await pagePost(first.session ?? '', '3ds', { code });
    expect(done.page).toContain('Payment approved');
    await until(async () => (listener.received.length === 1 ? true : undefined));

    const second = await open();
    await pagePost(second.session ?? '', 'pay', { card: '4000000000003220' });
    const failed = await pagePost(second.session ?? '', '3ds', { code: 'nope' });
    expect(failed.page).toContain('3-D Secure authentication failed');
    expect((await checkout(second.orderId)).state).toBe('declined');
  });

  it('the customer cancels: URL_Cancel with IPCPurchaseCancel; paying afterwards is refused', async () => {
    const { orderId, session } = await open();
    const { page } = await pagePost(session ?? '', 'cancel');
    expect(page).toContain('Payment cancelled');
    expect(returnForm(page).action).toBe('http://127.0.0.1:9/pay/cancel');
    expect((await status(orderId)).json).toMatchObject({ PaymentStatus: '3' });
    expect((await pagePost(session ?? '', 'pay', { card: '4111111111111111' })).status).toBe(409);
  });

  it('an invalid card number is asked again', async () => {
    const { orderId, session } = await open();
    const { status: code, page } = await pagePost(session ?? '', 'pay', { card: '4111111111111112' });
    expect(code).toBe(400);
    expect(page).toContain('Please enter a valid card number.');
    expect((await checkout(orderId)).state).toBe('pending');
  });
});

describe('the scenario switches', () => {
  const switches = (body: Json) => h.control('/ipc/switches', body);

  it('lost OK answers: the merchant receives the same notify again until one counts', async () => {
    await switches({ lostNotifyAnswers: 2 });
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    await until(async () => ((await checkout(orderId)).notify === 'delivered' ? true : undefined));
    expect(listener.received).toHaveLength(3);
    expect(new Set(listener.received.map((fields) => new Map(fields).get('IPC_Trnref'))).size).toBe(1);
    expect((await checkout(orderId)).notifies.map((attempt) => attempt.lost)).toEqual([true, true, false]);
  });

  it('never answered OK: 5 attempts, then the payment is reversed and IPCPurchaseRollback posted', async () => {
    listener.answers = Array.from({ length: 5 }, () => 'NO');
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    await until(async () => (listener.received.length === 6 ? true : undefined));
    const rollback = listener.received[5] ?? [];
    expect(new Map(rollback).get('IPCmethod')).toBe('IPCPurchaseRollback');
    expect(await verifyIpc(rollback, simKey)).toBe(true);
    expect((await status(orderId)).json).toMatchObject({ PaymentStatus: '4' });
    expect((await checkout(orderId)).state).toBe('reversed');
  });

  it('notify never sent: only the status call tells', async () => {
    await switches({ notify: 'never' });
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.received).toHaveLength(0);
    expect((await status(orderId)).json).toMatchObject({ PaymentStatus: '1' });
    expect((await checkout(orderId)).notify).toBe('suppressed');
  });

  it('a wrong signature on the notify: it does not verify', async () => {
    await switches({ notifySignature: 'wrong', rollbackOnNotifyFailure: false });
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    await until(async () => (listener.received.length >= 1 ? true : undefined));
    expect(await verifyIpc(listener.received[0] ?? [], simKey)).toBe(false);
  });

  it('a delay before the notify: the status call knows first', async () => {
    await switches({ notifyDelayMs: 800 });
    const { orderId } = await open();
    await h.control(`/checkouts/${orderId}/pay`, { card: '4111111111111111' });
    expect((await status(orderId)).json).toMatchObject({ PaymentStatus: '1' });
    expect(listener.received).toHaveLength(0);
    await until(async () => (listener.received.length === 1 ? true : undefined));
  });

  it('the control API pays a 3-D Secure card with its code, lists checkouts and refuses bad switches', async () => {
    const { orderId } = await open();
    const challenged = await h.control<{ result: { kind: string; code: string } }>(`/checkouts/${orderId}/pay`, { card: '4000000000003220' });
    expect(challenged.result.kind).toBe('challenge');
    const paid = await h.control<{ checkout: Checkout }>(`/checkouts/${orderId}/3ds`, { code: challenged.result.code });
    expect(paid.checkout.state).toBe('paid');
    const list = await h.control<{ checkouts: Checkout[] }>('/checkouts');
    expect(list.checkouts.map((c) => c.orderId)).toEqual([orderId]);
    const refused = await fetch(`${h.sim.url}/sim/ipc/switches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ notify: 'sometimes' }) });
    expect(refused.status).toBe(400);
    await h.control('/reset', {});
    expect((await h.control<{ checkouts: Checkout[] }>('/checkouts')).checkouts).toEqual([]);
  });
});
