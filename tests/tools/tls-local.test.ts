import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTlsLocalArgs, runTlsLocal, SERVER_DAYS_MAX, spkiSha256 } from '../../edge/tools/tls-local.js';

// `npm run tls:local`: the local CA (kept between runs) and the server certificate it signs.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tls-local-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const DAY = 86_400_000;

async function run(args: string[]): Promise<{ output: string; result: NonNullable<Awaited<ReturnType<typeof runTlsLocal>>> }> {
  let output = '';
  const result = await runTlsLocal(args, {}, (text) => (output += `${text}\n`));
  if (!result) throw new Error('no result');
  return { output, result };
}

describe('npm run tls:local', () => {
  it('makes a CA (10 years, key mode 600) and a server certificate for the names and addresses, and prints what to set and how to trust the CA', async () => {
    const out = join(dir, 'first');
    const { output, result } = await run(['--out', out, '--name', 'till.shop.lan,pos.shop.lan', '--port', '8443']);
    expect(result.caCreated).toBe(true);
    for (const file of ['ca.key', 'server.key']) expect((await stat(join(out, file))).mode & 0o777).toBe(0o600);
    expect((await stat(out)).mode & 0o777).toBe(0o700);

    const ca = new X509Certificate(await readFile(join(out, 'ca.crt')));
    expect(ca.ca).toBe(true);
    const caYears = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / (365.25 * DAY);
    expect(caYears).toBeGreaterThan(9.9);
    expect(caYears).toBeLessThan(10.1);

    const server = new X509Certificate(await readFile(join(out, 'server.crt')));
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkPrivateKey(createPrivateKey(await readFile(join(out, 'server.key'))))).toBe(true);
    // Apple's rule: at most 825 days from notBefore to notAfter.
    expect(Date.parse(server.validTo) - Date.parse(server.validFrom)).toBeLessThanOrEqual(SERVER_DAYS_MAX * DAY);
    expect(Date.parse(server.validTo) - Date.now()).toBeGreaterThan((SERVER_DAYS_MAX - 1) * DAY);
    const san = server.subjectAltName ?? '';
    for (const name of ['till.shop.lan', 'pos.shop.lan', 'localhost', hostname().toLowerCase()]) expect(san).toContain(`DNS:${name}`);
    expect(san).toContain('IP Address:127.0.0.1');
    expect(server.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
    expect(server.checkHost('till.shop.lan')).toBe('till.shop.lan');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');

    expect(output).toContain(`EDGE_TLS_CERT_FILE=${join(out, 'server.crt')}`);
    expect(output).toContain(`EDGE_TLS_KEY_FILE=${join(out, 'server.key')}`);
    expect(output).toContain(`EDGE_TLS_CA_FILE=${join(out, 'ca.crt')}`);
    expect(output).toContain('EDGE_PUBLIC_URL=https://till.shop.lan:8443');
    expect(output).toContain('EDGE_HOST=0.0.0.0');
    expect(output).toContain(ca.fingerprint256);
    expect(output).toMatch(/https:\/\/[^ ]+:8443\/tls\/ca\.crt/);
    for (const platform of ['Android', 'iPadOS/iOS', 'Windows', 'macOS', 'ChromeOS']) expect(output).toContain(platform);
    // The terminal QR code (half blocks).
    expect(output).toMatch(/[▀▄█]{5}/);
    expect(output).not.toContain('PRIVATE KEY');
  });

  it('keeps the CA when run again and makes a new server certificate; --force makes a new CA', async () => {
    const out = join(dir, 'again');
    const first = (await run(['--out', out])).result;
    const caPem = await readFile(join(out, 'ca.crt'), 'utf8');
    const second = (await run(['--out', out, '--name', 'till.shop.lan'])).result;
    expect(second.caCreated).toBe(false);
    expect(await readFile(join(out, 'ca.crt'), 'utf8')).toBe(caPem);
    expect(second.server.serialNumber).not.toBe(first.server.serialNumber);
    expect(spkiSha256(second.server.certPem)).not.toBe(spkiSha256(first.server.certPem));
    expect(new X509Certificate(second.server.certPem).verify(new X509Certificate(caPem).publicKey)).toBe(true);

    const forced = (await run(['--out', out, '--force'])).result;
    expect(forced.caCreated).toBe(true);
    expect(await readFile(join(out, 'ca.crt'), 'utf8')).not.toBe(caPem);
  });

  it('never overwrites half a CA, and refuses bad options', async () => {
    const out = join(dir, 'half');
    await run(['--out', out]);
    await rm(join(out, 'ca.key'));
    await expect(run(['--out', out])).rejects.toThrow(/ca\.key is missing.*--force/);
    await writeFile(join(out, 'ca.key'), (await readFile(join(dir, 'again', 'ca.key'), 'utf8')), { mode: 0o600 });
    await expect(run(['--out', out])).rejects.toThrow('do not belong together');
    expect(() => parseTlsLocalArgs(['--days', '900'], {})).toThrow("1 to 825 (Apple's limit)");
    expect(() => parseTlsLocalArgs(['--name', 'bad name!'], {})).toThrow('not a host name');
    expect(() => parseTlsLocalArgs(['--wat'], {})).toThrow('unknown option');
    expect(parseTlsLocalArgs(['--name', '192.168.1.5'], {})).toMatchObject({ names: [], ips: ['192.168.1.5'] });
    expect(parseTlsLocalArgs([], { EDGE_DATA_DIR: '/srv/till', PORT: '9443' })).toMatchObject({ out: '/srv/till/tls', port: 9443 });
  });
});
