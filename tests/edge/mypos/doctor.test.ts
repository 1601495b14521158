import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeMyposTransport } from '../../../edge/adapters/node/mypos-transport.js';
import { runDoctor, summaryOf, type DoctorDeps } from '../../../edge/core/mypos/doctor.js';
import { DOCUMENTED_PROFILE } from '../../../edge/core/mypos/profile.js';
import { KeyRing } from '../../../edge/core/mypos/signing.js';
import { newRuid } from '../../../shared/ruid.js';
import { startHarness, type Harness } from '../../helpers/mypos-harness.js';

// The doctor over real HTTP against the simulator: from the documents' defaults it learns each
// simulator profile, and it names what a merchant has to fix when nothing works.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function depsFor(harness: Harness, change: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    endpoint: harness.sim.endpoint,
    login: 'demo@mypos.local',
    signer: harness.signer,
    verifier: harness.verifier,
    transport: nodeMyposTransport({ connectTimeoutMs: 2_000 }),
    fetch,
    start: DOCUMENTED_PROFILE,
    overrides: {},
    certificates: harness.myposCertificates.map((certificate) => ({ name: 'mypos', notAfter: certificate.notAfter.toISOString() })),
    now: () => Date.now(),
    newRuid,
    requestTimeoutMs: 2_000,
    ...change,
  };
}

/** The simulator's exchanges: only MPRGetTxnStatus calls, none of them about a real payment. */
async function simExchanges(harness: Harness): Promise<Array<{ method: string; status: string }>> {
  return (await harness.control<{ exchanges: Array<{ method: string; status: string }> }>('/state')).exchanges;
}

/** A loopback port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('the doctor learns the profile myPOS speaks', () => {
  it('documented: one call, the documents were right', async () => {
    h = await startHarness();
    const report = await runDoctor('90000015', depsFor(h));
    expect(report.diagnosis).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.tries).toHaveLength(1);
    expect(report.tries[0]).toMatchObject({ soapAction: 'urnIPayService/MPRGetTxnStatus', signingOrder: 'documented', outcome: 'answer', status: '4', verifiedAs: 'as_received' });
    expect(report.learned?.profile).toMatchObject({ signingOrder: 'documented', answerOrder: 'as_received' });
    expect(report.checks.find((check) => check.check === 'wsdl')?.result).toBe('warn');
    expect(report.checks.filter((check) => check.check === 'certificate').every((check) => check.result === 'ok')).toBe(true);
    expect((await simExchanges(h)).map((exchange) => exchange.method)).toEqual(['MPRGetTxnStatus']);
  });

  it('wcf: the WSDL gives the SOAPAction, the second call finds key_index first, answers verify as logical', async () => {
    h = await startHarness({ simEnv: { SIM_PROFILE: 'wcf' } });
    const report = await runDoctor('90000015', depsFor(h));
    expect(report.ok).toBe(true);
    expect(report.checks.find((check) => check.check === 'wsdl')?.result).toBe('ok');
    expect(report.tries.map((attempt) => [attempt.signingOrder, attempt.status])).toEqual([
      ['documented', '51'],
      ['key_index_first', '4'],
    ]);
    expect(report.tries.every((attempt) => attempt.soapAction === 'urnIPayService/IPayService/MPRGetTxnStatus')).toBe(true);
    expect(report.learned?.profile).toMatchObject({ signingOrder: 'key_index_first', answerOrder: 'logical' });
    expect(report.learned?.profile.soapActions.MPRPurchase).toBe('urnIPayService/IPayService/MPRPurchase');
    expect(report.learned?.profile.wireSequences.MPRPurchase?.slice(0, 3)).toEqual(['version', 'login', 'key_index']);
    expect(summaryOf(report, report.profile).using).toEqual({ soapAction: 'urnIPayService/IPayService/MPRGetTxnStatus', signingOrder: 'key_index_first', answerOrder: 'logical', version: '3.0' });
  });

  it('wcf with the WSDL unreachable: tries the SOAPActions a WCF service would use, within ten calls', async () => {
    h = await startHarness({ simEnv: { SIM_PROFILE: 'wcf' } });
    const noWsdl: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes('?wsdl') || url.includes('?xsd')) throw new TypeError('fetch failed', { cause: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }) });
      return fetch(input, init);
    };
    const report = await runDoctor('90000015', depsFor(h, { fetch: noWsdl }));
    expect(report.ok).toBe(true);
    expect(report.checks.find((check) => check.check === 'wsdl')).toMatchObject({ result: 'warn' });
    expect(report.tries.map((attempt) => attempt.outcome === 'answer' ? attempt.status : attempt.faultCode)).toEqual(['a:ActionNotSupported', '51', '4']);
    expect(report.tries.length).toBeLessThanOrEqual(10);
    // The action that worked for the probe becomes every method's.
    expect(report.learned?.profile.soapActions.MPRCancel).toBe('urnIPayService/IPayService/MPRCancel');
    expect(report.learned?.profile).toMatchObject({ signingOrder: 'key_index_first', answerOrder: 'logical' });
  });
});

describe('the doctor’s diagnoses', () => {
  it('bad login: 40, with the key_index to check', async () => {
    h = await startHarness();
    const report = await runDoctor('90000015', depsFor(h, { login: 'someone-else@mypos.local' }));
    expect(report).toMatchObject({ ok: false, diagnosis: 'login_refused', detail: { status: '40', keyIndex: '1' }, learned: undefined });
  });

  it('certificate not installed: the signature is refused under both orders', async () => {
    h = await startHarness();
    const other = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, false, ['sign', 'verify']);
    const report = await runDoctor('90000015', depsFor(h, { signer: new KeyRing(new Map([['1', other.privateKey]]), '1') }));
    expect(report).toMatchObject({ ok: false, diagnosis: 'signature_refused', detail: { status: '51', keyIndex: '1' }, learned: undefined });
    expect(report.tries.map((attempt) => attempt.signingOrder)).toEqual(['documented', 'key_index_first']);
  });

  it('wrong endpoint: a URL that answers, but not as the myPOS service', async () => {
    h = await startHarness();
    const report = await runDoctor('90000015', depsFor(h, { endpoint: `${h.sim.url}/not-the-service` }));
    expect(report).toMatchObject({ ok: false, diagnosis: 'wrong_endpoint', detail: { httpStatus: '404' } });
    expect(report.checks.find((check) => check.check === 'reach')?.result).toBe('ok');
  });

  it('unreachable: nothing listens there', async () => {
    h = await startHarness();
    const port = await closedPort();
    const report = await runDoctor('90000015', depsFor(h, { endpoint: `http://127.0.0.1:${port}/infromhttp` }));
    expect(report).toMatchObject({ ok: false, diagnosis: 'unreachable', tries: [] });
    expect(report.checks[0]).toMatchObject({ check: 'reach', result: 'fail', data: { cause: 'ECONNREFUSED' } });
  });

  it('a forged answer is not evidence: answer_not_verified, nothing learned', async () => {
    h = await startHarness();
    await h.control('/faults', { kind: 'bad_signature', count: 10 });
    const report = await runDoctor('90000015', depsFor(h));
    expect(report).toMatchObject({ ok: false, diagnosis: 'answer_not_verified', learned: undefined });
  });

  it('terminal not subscribed: the profile is learned, the terminal is named', async () => {
    h = await startHarness({ simEnv: { SIM_PROFILE: 'wcf' } });
    const report = await runDoctor('90000017', depsFor(h));
    expect(report).toMatchObject({ ok: false, diagnosis: 'terminal_not_subscribed', detail: { status: '41' } });
    expect(report.learned?.profile.signingOrder).toBe('key_index_first');
  });

  it('an expired certificate and a clock far off are reported', async () => {
    h = await startHarness();
    const report = await runDoctor('90000015', depsFor(h, { certificates: [{ name: 'partner', notAfter: '2020-01-01T00:00:00.000Z' }], now: () => Date.now() + 60_000 }));
    expect(report.checks.find((check) => check.check === 'certificate')).toMatchObject({ result: 'fail', data: { certificate: 'partner' } });
    expect(report.checks.find((check) => check.check === 'clock')).toMatchObject({ result: 'warn' });
  });
});
