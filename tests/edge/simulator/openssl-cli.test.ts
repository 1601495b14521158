import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { signalGroup, spawnUntilReady } from '../../helpers/processes.js';

// `npm run simulator` as a person would start it, answering a request built by hand and signed by
// the openssl command line; its answer is verified by openssl too. No project code on the client side.

let child: ChildProcess;
let dir: string;
let port: number;

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8' });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
  port = 20_000 + Math.floor(Math.random() * 20_000);
  child = await spawnUntilReady('npm', ['run', '--silent', 'simulator'], {
    env: {
      ...process.env,
      SIM_PORT: String(port),
      SIM_DATA_DIR: dir,
      SIM_PARTNER_CERT_FILE: join(opensslFixtures.dir, 'cert.p7b.pem'),
      SIM_PARTNER_LOGIN: 'name@website.com',
    },
    ready: 'listening',
  });
}, 60_000);

afterAll(async () => {
  signalGroup(child, 'SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('npm run simulator with openssl', () => {
  it('answers a hand-made SOAP request signed with openssl dgst -sha256 -sign, with a signature openssl verifies', async () => {
    const ruid = `cli${Date.now()}`;
    const values = ['3.0', 'name@website.com', '1', '90000015', ruid, '23.45', 'Inv12345', '1'];
    const signature = execFileSync('sh', ['-c', `printf '%s' "$1" | openssl dgst -sha256 -sign "$2" | base64 -w0`, 'sh', values.join(';'), join(opensslFixtures.dir, 'key.pkcs1.pem')], { encoding: 'utf8' });
    const body = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Body>
    <urn:MPRPurchase xmlns:urn="urnIPayService">
      <urn:version>3.0</urn:version>
      <urn:login>name@website.com</urn:login>
      <urn:key_index>1</urn:key_index>
      <urn:tid>90000015</urn:tid>
      <urn:ruid>${ruid}</urn:ruid>
      <urn:amount>23.45</urn:amount>
      <urn:reference_number>Inv12345</urn:reference_number>
      <urn:reference_number_type>1</urn:reference_number_type>
      <urn:signature>${signature}</urn:signature>
    </urn:MPRPurchase>
  </soapenv:Body>
</soapenv:Envelope>`;
    const response = await fetch(`http://127.0.0.1:${port}/infromhttp`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
    expect(response.status).toBe(200);
    const xml = await response.text();
    const fields = [...xml.matchAll(/<a:([a-z_]+)>([\s\S]*?)<\/a:\1>/g)].map((match) => [match[1] ?? '', match[2] ?? ''] as const);
    expect(Object.fromEntries(fields)).toMatchObject({ tid: '90000015', ruid, amount: '23.45', status: '0', status_msg: 'OK' });

    const answerSignature = (fields.find(([name]) => name === 'signature')?.[1] ?? '').replace(/\s+/g, '');
    const signedText = fields.filter(([name]) => name !== 'signature').map(([, value]) => value).join(';');
    await writeFile(join(dir, 'answer.sig'), Buffer.from(answerSignature, 'base64'));
    await writeFile(join(dir, 'answer.txt'), signedText);
    openssl(['x509', '-in', join(dir, 'simulator/mypos-sim-cert.pem'), '-pubkey', '-noout', '-out', join(dir, 'sim-pub.pem')]);
    const verdict = openssl(['dgst', '-sha256', '-verify', join(dir, 'sim-pub.pem'), '-signature', join(dir, 'answer.sig'), join(dir, 'answer.txt')]);
    expect(verdict.trim()).toBe('Verified OK');
  });
});
