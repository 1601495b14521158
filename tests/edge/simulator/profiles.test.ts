import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isActionNotSupported } from '../../../edge/core/mypos/errors.js';
import { MYPOS_METHODS, requestFields } from '../../../edge/core/mypos/methods.js';
import { answerSignedValues, DOCUMENTED_PROFILE, soapActionsFromTemplate, type ProtocolProfile } from '../../../edge/core/mypos/profile.js';
import { purchaseRequest, txnStatusRequest } from '../../../edge/core/mypos/requests.js';
import { CertificateVerifier, signedText } from '../../../edge/core/mypos/signing.js';
import { parseSoapResponse } from '../../../edge/core/mypos/soap-parse.js';
import { interpretTxnStatus, type TxnOutcome } from '../../../edge/core/mypos/txn-status.js';
import { readWsdl } from '../../../edge/core/mypos/wsdl.js';
import { startSimulator } from '../../../edge/simulator/node-server.js';
import type { LedgerEntry } from '../../../edge/simulator/terminals.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, until, type Harness } from '../../helpers/mypos-harness.js';

// SIM_PROFILE: documented (our reading of the documents) and wcf (a WCF service as the public PHP
// client sees myPOS). The edge's client talks to each over real HTTP with its protocol profile.

const TID = '90000015';
const WCF_ACTIONS = soapActionsFromTemplate('urnIPayService/IPayService/{method}');
/** What the edge must use to be understood by the wcf simulator. */
const WCF_EDGE: Partial<ProtocolProfile> = { soapActions: WCF_ACTIONS, signingOrder: 'key_index_first' };
const profile = (parts: Partial<ProtocolProfile> = {}): ProtocolProfile => ({ ...DOCUMENTED_PROFILE, ...parts });

interface SimState {
  readonly exchanges: Array<{ method: string; ruid: string; cached: boolean }>;
  readonly transactions: unknown[];
  readonly ledger: LedgerEntry[];
  readonly settings: { profile: string };
}

function helpers(get: () => Harness) {
  const purchase = async (amountCents = 2500, ruid = newRuid(), reference?: { number: string; type: string }) => ({
    ruid,
    result: await get().gateway.call(purchaseRequest({ tid: TID, ruid, amountCents, reference })),
  });
  const statusCall = (ruidOriginal: string) => get().gateway.call(txnStatusRequest({ tid: TID, ruid: newRuid(), ruidOriginal }));
  /** MPRGetTxnStatus until a final answer: the outcome and the last call. */
  const settle = (ruid: string) =>
    until(async () => {
      const result = await statusCall(ruid);
      if (!result.ok) throw new Error(`status failed: ${result.error.kind} ${result.error.message}`);
      const outcome: TxnOutcome = interpretTxnStatus(result.response);
      return outcome.state === 'pin' || outcome.state === 'pending' ? undefined : { outcome, result };
    });
  return { purchase, statusCall, settle, state: () => get().control<SimState>('/state') };
}

/** The element names of a raw answer's result, in arrival order. */
const elementNames = (xml: string) => [...xml.matchAll(/<a:([a-z_0-9]+)[\s/>]/g)].map((match) => match[1] ?? '');

describe('SIM_PROFILE=wcf', () => {
  let h: Harness;
  const { purchase, settle, state } = helpers(() => h);
  beforeAll(async () => {
    h = await startHarness({ simEnv: { SIM_PROFILE: 'wcf' }, profile: WCF_EDGE });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', {});
    h.client.useProfile(profile(WCF_EDGE));
  });

  it('serves a WCF WSDL with xsd:import that the edge reads: the six SOAPActions and the documented sequences', async () => {
    const read = await readWsdl(h.sim.endpoint);
    if (!read.ok) throw new Error(read.reason);
    expect(read.wsdl.url).toBe(`${h.sim.url}/?wsdl`);
    for (const method of MYPOS_METHODS) {
      expect(read.wsdl.soapActions[method]).toBe(`urnIPayService/IPayService/${method}`);
      expect(read.wsdl.sequences[method]).toEqual(requestFields(method, 'documented').map((spec) => spec.name));
    }
    // The endpoint's own ?wsdl too, when the root's is not there.
    const second = await readWsdl(h.sim.endpoint, (input, init) => (String(input).endsWith('/?wsdl') ? Promise.resolve(new Response('', { status: 404 })) : fetch(input, init)));
    expect(second.ok && second.wsdl.url).toBe(`${h.sim.endpoint}?wsdl`);

    const wsdl = await fetch(`${h.sim.endpoint}?wsdl`);
    expect(wsdl.status).toBe(200);
    expect(wsdl.headers.get('content-type')).toMatch(/^text\/xml/);
    const text = await wsdl.text();
    expect(text).toContain('<wsdl:definitions name="PayService" targetNamespace="urnIPayService"');
    expect(text).toContain(`<wsdl:types><xsd:schema targetNamespace="urnIPayService/Imports"><xsd:import schemaLocation="${h.sim.url}/?xsd=xsd0" namespace="urnIPayService"/></xsd:schema></wsdl:types>`);
    expect(text).toContain('<wsdl:portType name="IPayService">');
    expect(text).toContain('<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>');
    expect(text).toContain('<soap:operation soapAction="urnIPayService/IPayService/MPRPurchase" style="document"/>');
    expect(text).toContain(`<soap:address location="${h.sim.endpoint}"/>`);
    const xsd0 = await (await fetch(`${h.sim.url}/?xsd=xsd0`)).text();
    expect(xsd0).toContain(
      '<xs:element name="MPRPurchase"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="version" nillable="true" type="xs:string"/><xs:element minOccurs="0" name="login"',
    );
    expect(xsd0).toContain('<xs:element name="MPRPurchaseResponse">');
    expect((await fetch(`${h.sim.url}/?xsd=xsd7`)).status).toBe(404);
  });

  it('the terminal page and the control API work, and the settings view shows the profile', async () => {
    const page = await fetch(`${h.sim.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('myPOS simulator');
    expect((await state()).settings.profile).toBe('wcf');
    await h.control('/terminals/90000015/mode', { mode: 'manual' });
    const { ruid, result } = await purchase(1200);
    expect(result.ok).toBe(true);
    await h.control('/terminals/90000015/press-o', {});
    await h.control('/terminals/90000015/card', { outcome: 'approve' });
    expect((await settle(ruid)).outcome.state).toBe('approved');
  });

  it('the documents’ default SOAPAction gets a SOAP Fault ActionNotSupported: not retried, nothing processed', async () => {
    h.client.useProfile(DOCUMENTED_PROFILE);
    const { result } = await purchase();
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('soap_fault');
      expect(isActionNotSupported(result.error)).toBe(true);
      expect(result.exchange?.httpStatus).toBe(500);
    }
    expect(result.attempts).toBe(1);
    const after = await state();
    expect(after.exchanges).toEqual([]);
    expect(after.transactions).toEqual([]);
    expect(after.ledger).toEqual([]);

    const raw = await fetch(h.sim.endpoint, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: '<x/>' });
    expect(raw.status).toBe(500);
    expect(raw.headers.get('content-type')).toMatch(/^text\/xml/);
    const fault = await raw.text();
    expect(fault).toContain('<faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">a:ActionNotSupported</faultcode>');
    expect(fault).toContain("The message with Action '' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher.");
  });

  it('with the WSDL’s SOAPAction and key_index-first signing a purchase is taken and settles approved, verified as logical though the profile says as_received', async () => {
    expect(h.client.profile.answerOrder).toBe('as_received');
    const { ruid, result } = await purchase(2345);
    if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
    expect(result.exchange.verifiedAs).toBe('logical');
    expect(result.exchange.requestXml).toMatch(/<urn:MPRPurchase[^>]*><urn:version>/);
    const { outcome, result: status } = await settle(ruid);
    expect(outcome.state).toBe('approved');
    if (outcome.state === 'approved') expect(outcome.receipt).toMatchObject({ ruid_original_status: '00', amount: '23.45', response_code: '00' });
    expect(status.exchange?.verifiedAs).toBe('logical');

    h.client.useProfile(profile({ ...WCF_EDGE, answerOrder: 'logical' }));
    const second = await purchase(100);
    expect(second.result.ok && second.result.exchange.verifiedAs).toBe('logical');
  });

  it('the answer’s signature covers the logical order and not the order received', async () => {
    const { ruid, result } = await purchase(2345);
    if (!result.ok) throw new Error(result.error.message);
    const { result: status } = await settle(ruid);
    const verifier = new CertificateVerifier(h.myposCertificates);
    for (const exchange of [result.exchange, status.exchange]) {
      const xml = exchange?.responseXml ?? '';
      const parsed = parseSoapResponse(xml, exchange?.method ?? '');
      if (!parsed.ok) throw new Error(parsed.reason);
      const signature = parsed.element.fields.find(([name]) => name === 'signature')?.[1] ?? '';
      const unsigned = parsed.element.fields.filter(([name]) => name !== 'signature');
      const sentNames = [...(exchange?.requestXml ?? '').matchAll(/<urn:([a-z_0-9]+)>/g)].map((match) => match[1] ?? '').filter((name) => name !== 'signature');
      const method = exchange?.method === 'MPRPurchase' ? 'MPRPurchase' : 'MPRGetTxnStatus';
      expect(await verifier.verify(signedText(answerSignedValues('logical', method, sentNames, unsigned)), signature)).toBe(true);
      expect(await verifier.verify(signedText(answerSignedValues('as_received', method, sentNames, unsigned)), signature)).toBe(false);
    }
  });

  it('a request signed in the documented order is refused with 51', async () => {
    h.client.useProfile(profile({ ...WCF_EDGE, signingOrder: 'documented' }));
    const { result } = await purchase();
    expect(!result.ok && result.error.kind === 'mypos_status' && result.error.status.code).toBe('51');
    expect((await state()).ledger).toEqual([]);
  });

  it('an unsent reference comes back i:nil and 0, a sent one is echoed: both accepted', async () => {
    const without = await purchase(300);
    if (!without.result.ok) throw new Error(`${without.result.error.kind}: ${without.result.error.message}`);
    expect(without.result.exchange.responseXml).toContain('<a:reference_number i:nil="true"/>');
    expect(without.result.exchange.responseXml).toContain('<a:reference_number_type>0</a:reference_number_type>');
    await settle(without.ruid);

    const withReference = await purchase(400, newRuid(), { number: 'Inv12345', type: '2' });
    if (!withReference.result.ok) throw new Error(`${withReference.result.error.kind}: ${withReference.result.error.message}`);
    expect(withReference.result.exchange.responseXml).toContain('<a:reference_number>Inv12345</a:reference_number><a:reference_number_type>2</a:reference_number_type>');
    expect(withReference.result.exchange.verifiedAs).toBe('logical');
  });

  it('answers are written in alphabetical element order with method_name, and ruid_original_status in two digits', async () => {
    const { ruid, result } = await purchase(2500);
    const { result: status } = await settle(ruid);
    for (const [xml, method] of [
      [result.exchange?.responseXml ?? '', 'MPRPurchase'],
      [status.exchange?.responseXml ?? '', 'MPRGetTxnStatus'],
    ] as const) {
      const names = elementNames(xml);
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(expect.arrayContaining(['method_name', 'signature', 'status', 'status_msg', 'tid', 'ruid']));
      expect(xml).toContain(`<a:method_name>${method}</a:method_name>`);
      expect(xml).toContain(`<${method}Response xmlns="urnIPayService">`);
    }
    expect(status.exchange?.responseXml).toContain('<a:ruid_original_status>00</a:ruid_original_status>');
  });

  it('a lost answer is retried and answered from the cache with the very same answer: one charge', async () => {
    await h.control('/faults', { kind: 'drop', method: 'MPRPurchase' });
    const ruid = newRuid();
    const first = await purchase(1800, ruid);
    expect(first.result.ok).toBe(true);
    expect(first.result.attempts).toBe(2);
    const again = await purchase(1800, ruid);
    expect(again.result.ok).toBe(true);
    expect(again.result.exchange?.responseXml).toBe(first.result.exchange?.responseXml);
    await settle(ruid);
    expect((await state()).ledger.filter((entry) => entry.ruid === ruid)).toHaveLength(1);
    expect((await state()).exchanges.filter((exchange) => exchange.method === 'MPRPurchase').map((exchange) => exchange.cached)).toEqual([false, true, true]);
  });

  it('a forged answer is refused (bad_signature)', async () => {
    await h.control('/faults', { kind: 'bad_signature', method: 'MPRPurchase' });
    const { result } = await purchase();
    expect(!result.ok && result.error.kind).toBe('bad_signature');
    expect(result.exchange?.verified).toBe(false);
  });
});

describe('SIM_PROFILE=wcf: every fault switch gives its typed error', () => {
  let h: Harness;
  const { purchase, statusCall } = helpers(() => h);
  beforeAll(async () => {
    h = await startHarness({ simEnv: { SIM_PROFILE: 'wcf' }, profile: WCF_EDGE, timings: { maxRetries: 0, requestTimeoutMs: 300 } });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', {});
  });

  it.each([
    ['drop', {}, 'transport'],
    ['delay', { delayMs: 800 }, 'timeout'],
    ['http_500', {}, 'http_status'],
    ['malformed_xml', {}, 'bad_xml'],
    ['bad_signature', {}, 'bad_signature'],
    ['wrong_echo', {}, 'echo_mismatch'],
    ['drop_request', {}, 'transport'],
  ] as const)('%s -> %s', async (kind, extra, expected) => {
    await h.control('/faults', { kind, method: 'MPRPurchase', ...extra });
    const { ruid, result } = await purchase();
    expect(!result.ok && result.error.kind).toBe(expected);
    if (!result.ok && result.error.kind === 'echo_mismatch') expect(result.exchange?.verifiedAs).toBe('logical');
    // The request arrived (all but drop_request): the status query with a new RUID tells the truth.
    const settled = await statusCall(ruid);
    if (kind === 'drop_request') expect(!settled.ok && settled.error.kind === 'mypos_status' && settled.error.status.code).toBe('4');
    else expect(settled.ok).toBe(true);
  });
});

describe('SIM_PROFILE=documented (the default)', () => {
  let h: Harness;
  const { purchase, settle, state } = helpers(() => h);
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.control('/reset', {});
    h.client.useProfile(DOCUMENTED_PROFILE);
  });

  it('serves no WSDL; the terminal page and the control API work', async () => {
    for (const path of ['/?wsdl', '/infromhttp?wsdl', '/?xsd=xsd0']) expect((await fetch(`${h.sim.url}${path}`)).status).toBe(404);
    expect((await readWsdl(h.sim.endpoint)).ok).toBe(false);
    expect(await (await fetch(`${h.sim.url}/`)).text()).toContain('myPOS simulator');
    expect((await state()).settings.profile).toBe('documented');
  });

  it('takes a purchase as today: answers in the order sent, verified as received, ruid_original_status 0', async () => {
    const { ruid, result } = await purchase(2345);
    if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
    expect(result.exchange.verifiedAs).toBe('as_received');
    expect(elementNames(result.exchange.responseXml ?? '')).toEqual(['version', 'login', 'key_index', 'tid', 'ruid', 'amount', 'status', 'status_msg', 'signature']);
    const { outcome, result: status } = await settle(ruid);
    expect(outcome.state).toBe('approved');
    expect(status.exchange?.verifiedAs).toBe('as_received');
    expect(status.exchange?.responseXml).toContain('<a:ruid_original_status>0</a:ruid_original_status>');
    expect(status.exchange?.responseXml).not.toContain('method_name');
  });

  it('does not check the SOAPAction; answers in the order sent are in the logical order too, so an edge expecting logical verifies them', async () => {
    h.client.useProfile(profile({ soapActions: WCF_ACTIONS, answerOrder: 'logical' }));
    const { ruid, result } = await purchase();
    expect(result.ok && result.exchange.verifiedAs).toBe('logical');
    expect((await settle(ruid)).result.exchange?.verifiedAs).toBe('logical');
  });

  it('refuses a request signed key_index first with 51', async () => {
    h.client.useProfile(profile({ signingOrder: 'key_index_first' }));
    const { result } = await purchase();
    expect(!result.ok && result.error.kind === 'mypos_status' && result.error.status.code).toBe('51');
  });

  it('a forged answer is refused (bad_signature)', async () => {
    await h.control('/faults', { kind: 'bad_signature', method: 'MPRPurchase' });
    const { result } = await purchase();
    expect(!result.ok && result.error.kind).toBe('bad_signature');
    expect(result.exchange?.verified).toBe(false);
  });
});

describe('SIM_PROFILE settings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-profile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown profile, naming SIM_PROFILE', async () => {
    await expect(startSimulator({ SIM_PORT: '0', SIM_DATA_DIR: dir, SIM_PROFILE: 'soap12' })).rejects.toThrow(/SIM_PROFILE/);
  });

  it('refuses SIM_FIELD_ORDER: it is replaced by SIM_PROFILE', async () => {
    await expect(startSimulator({ SIM_PORT: '0', SIM_DATA_DIR: dir, SIM_FIELD_ORDER: 'key_index_first' })).rejects.toThrow(/SIM_FIELD_ORDER is replaced by SIM_PROFILE/);
  });
});
