import { readFile } from 'node:fs/promises';
import { loadMypos, type MyposSettings } from '../../edge/core/mypos/setup.js';
import { purchaseRequest } from '../../edge/core/mypos/requests.js';
import { fetchTransport } from '../../edge/core/mypos/transport.js';
import { startHarness } from '../helpers/mypos-harness.js';
import { mutate, prng } from './mutate.js';

// Fuzzes the SOAP response path — parse, signature check, echo and status checks — with mutations
// of a real signed answer of the simulator. A crash is a throw out of send(); a forgery is a
// mutated answer accepted as verified but saying something else than the real one.

export interface SoapFuzzResult {
  readonly cases: number;
  readonly crashes: number;
  readonly forgeries: number;
  /** Mutations that only touched what the signature does not cover (whitespace, comments) and were accepted unchanged. */
  readonly acceptedUnchanged: number;
  readonly rejected: number;
}

export async function soapFuzz(cases: number, seed: number): Promise<SoapFuzzResult> {
  const harness = await startHarness();
  try {
    const settings: MyposSettings = {
      endpoint: harness.sim.endpoint,
      login: 'demo@mypos.local',
      overrides: {},
      keyIndex: '1',
      privateKeysPem: { '1': harness.partnerKeyPem },
      myposCertificatePem: await readFile(harness.sim.certificateFile, 'utf8'),
    };
    const real = await loadMypos(settings, fetchTransport());
    const request = purchaseRequest({ tid: '90000015', ruid: `FUZZ${seed}`, amountCents: 1234, reference: { number: 'INV-1', type: '2' } });
    if (!request.ok) throw new Error(request.error.message);
    const signed = await real.client.sign(request.value);
    if (!signed.ok) throw new Error(signed.error.message);
    const original = await real.client.send(signed.value, 1, 5_000);
    if (!original.ok || !original.exchange.responseXml) throw new Error('the simulator did not answer the fuzz seed request');
    const baseline = JSON.stringify(original.response.fields);
    const originalXml = original.exchange.responseXml;

    let current = originalXml;
    const fuzzed = await loadMypos(settings, async () => ({ status: 200, date: undefined, readText: async () => current }));
    const random = prng(seed);
    let crashes = 0;
    let forgeries = 0;
    let acceptedUnchanged = 0;
    let rejected = 0;
    for (let i = 0; i < cases; i += 1) {
      current = mutate(originalXml, random);
      try {
        const result = await fuzzed.client.send(signed.value, 1, 5_000);
        if (!result.ok) rejected += 1;
        else if (JSON.stringify(result.response.fields) === baseline) acceptedUnchanged += 1;
        else forgeries += 1;
      } catch {
        crashes += 1;
      }
    }
    return { cases, crashes, forgeries, acceptedUnchanged, rejected };
  } finally {
    await harness.close();
  }
}
