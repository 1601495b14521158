import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../edge/adapters/node/config.js';
import { startEdge } from '../../../edge/adapters/node/start.js';
import { jsonLogger } from '../../../edge/adapters/node/logger.js';
import { isLoopback, withScheme } from '../../../edge/adapters/node/tls.js';
import { issueServerCertificate } from '../../../edge/tools/tls-local.js';
import { ADMIN_HEADERS, FAST_ENV, startEdgeHarness, type EdgeHarness } from '../../helpers/edge-harness.js';
import { httpsRequest, makeTestTls, servedSerial, type TestTls } from '../../helpers/https-edge.js';

// HTTPS from the Node edge (issue 17, README "Shop network"): a certificate from the local CA,
// reloaded when its files change; the refusal of a plain LAN bind; the scheme behind a TLS proxy.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the edge over HTTPS', () => {
  let tls: TestTls & { first: { serialNumber: string } };
  let h: EdgeHarness;
  let port: number;
  beforeAll(async () => {
    tls = await makeTestTls(dir);
    h = await startEdgeHarness({ EDGE_TLS_CERT_FILE: tls.certFile, EDGE_TLS_KEY_FILE: tls.keyFile, EDGE_TLS_CA_FILE: tls.caFile, EDGE_TLS_RELOAD_MS: '500' });
    port = Number(new URL(h.url).port);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers /healthz over HTTPS to a client trusting the CA; an untrusting client and plain HTTP get nothing', async () => {
    expect(h.url).toMatch(/^https:\/\/127\.0\.0\.1:[0-9]+$/);
    const health = await httpsRequest(`${h.url}/healthz`, { ca: tls.ca.certPem, headers: ADMIN_HEADERS });
    expect(health.status).toBe(200);
    expect(health.json<{ ok: boolean }>().ok).toBe(true);
    // By name as well as by address: both are in the certificate.
    expect((await httpsRequest(`${h.url}/healthz`, { ca: tls.ca.certPem, servername: 'till.shop.lan' })).status).toBe(200);
    // Node's own trust store does not know the local CA.
    await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
    // Plain HTTP on the TLS port is not served.
    const plain = await new Promise<number | string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/healthz' }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', (error) => resolve((error as { code?: string }).code ?? 'error'));
      req.end();
    });
    expect(plain).not.toBe(200);
  });

  it('offers the CA certificate (never its key) at /tls/ca.crt', async () => {
    const answer = await httpsRequest(`${h.url}/tls/ca.crt`, { ca: tls.ca.certPem });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(new X509Certificate(answer.body).fingerprint256).toBe(new X509Certificate(tls.ca.certPem).fingerprint256);
    expect(answer.text()).not.toContain('PRIVATE');
  });

  it('pairs over HTTPS: the device cookie is Secure and the pairing link is https', async () => {
    const code = await httpsRequest(`${h.url}/api/devices/pairing-codes`, { ca: tls.ca.certPem, method: 'POST', headers: ADMIN_HEADERS, body: { role: 'till' }, servername: 'till.shop.lan' });
    expect(code.status).toBe(201);
    expect(code.json<{ link: string }>().link).toMatch(new RegExp(`^https://till\\.shop\\.lan:${port}/pair\\?code=`));
    const paired = await httpsRequest(`${h.url}/api/devices/pair`, { ca: tls.ca.certPem, method: 'POST', body: { code: code.json<{ code: string }>().code, name: 'Counter 1' }, servername: 'till.shop.lan' });
    expect(paired.status).toBe(201);
    const cookie = String(paired.headers['set-cookie']);
    expect(cookie).toContain('till_device=');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
  });

  it('serves a renewed certificate within seconds without a restart; a pair that does not match keeps the old one', async () => {
    expect(await servedSerial(port, tls.ca.certPem)).toBe(tls.first.serialNumber);

    // A certificate whose key is not the one beside it: logged, and the served certificate stays.
    const stray = await issueServerCertificate(tls.ca, { dnsNames: ['till.shop.lan'], ipAddresses: ['127.0.0.1'] });
    await writeFile(tls.certFile, stray.certPem);
    await expect.poll(() => h.logs.some((line) => line.includes('do not load') && line.includes('"level":"error"')), { timeout: 8_000, interval: 100 }).toBe(true);
    expect(await servedSerial(port, tls.ca.certPem)).toBe(tls.first.serialNumber);
    expect(h.logs.join('\n')).not.toContain('PRIVATE KEY');

    // The renewed pair (both files): served on the next connections.
    const renewed = await tls.renew();
    expect(renewed.serialNumber).not.toBe(tls.first.serialNumber);
    await expect.poll(() => servedSerial(port, tls.ca.certPem), { timeout: 8_000, interval: 100 }).toBe(renewed.serialNumber);
    expect(h.logs.some((line) => line.includes('TLS certificate reloaded') && line.includes(renewed.serialNumber))).toBe(true);
    expect((await httpsRequest(`${h.url}/healthz`, { ca: tls.ca.certPem })).status).toBe(200);
  }, 20_000);
});

describe('where the edge may listen', () => {
  const quiet = jsonLogger(() => undefined);

  it('refuses a LAN address without TLS or a proxy, saying why and what to do', async () => {
    const started = startEdge({ ...FAST_ENV, EDGE_DATA_DIR: join(dir, 'lan'), EDGE_HOST: '0.0.0.0' }, quiet);
    await expect(started).rejects.toThrow('EDGE_HOST=0.0.0.0 would serve the till over plain HTTP');
    await expect(started).rejects.toThrow(/service worker.*Web Locks.*Secure device cookie/);
    await expect(started).rejects.toThrow(/EDGE_TLS_CERT_FILE.*npm run tls:local.*EDGE_BEHIND_PROXY=1.*README "Shop network"/);
    await expect(loadConfig({ EDGE_HOST: '192.168.1.20' })).rejects.toThrow('would serve the till over plain HTTP');
    await expect(loadConfig({ EDGE_HOST: '::' })).rejects.toThrow('would serve the till over plain HTTP');
  });

  it('refuses EDGE_BEHIND_PROXY on a non-loopback address, and half a TLS setting', async () => {
    await expect(loadConfig({ EDGE_HOST: '0.0.0.0', EDGE_BEHIND_PROXY: '1' })).rejects.toThrow('EDGE_BEHIND_PROXY=1 needs EDGE_HOST on a loopback address');
    await expect(loadConfig({ EDGE_HOST: '0.0.0.0', EDGE_BEHIND_PROXY: '1', EDGE_TLS_CERT_FILE: 'a', EDGE_TLS_KEY_FILE: 'b' })).rejects.toThrow('EDGE_BEHIND_PROXY=1 needs EDGE_HOST on a loopback address');
    await expect(loadConfig({ EDGE_TLS_CERT_FILE: 'a' })).rejects.toThrow('EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE go together');
    await expect(loadConfig({ EDGE_BEHIND_PROXY: 'yes' })).rejects.toThrow('EDGE_BEHIND_PROXY must be 1 or 0');
    await expect(loadConfig({ EDGE_PUBLIC_URL: 'http://till.shop.lan:8787' })).rejects.toThrow('EDGE_PUBLIC_URL must be an https URL');
    await expect(loadConfig({ EDGE_PUBLIC_URL: 'https://till.shop.lan/till' })).rejects.toThrow('origin only');
    expect((await loadConfig({ EDGE_PUBLIC_URL: 'https://Till.Shop.lan:8787/' })).publicUrl).toBe('https://till.shop.lan:8787');
    // Loopback stays plain HTTP, as for development and the tests.
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) expect((await loadConfig({ EDGE_HOST: host })).host).toBe(host);
    // A LAN address with TLS starts (the files are read when the edge starts).
    expect((await loadConfig({ EDGE_HOST: '0.0.0.0', EDGE_TLS_CERT_FILE: 'a.crt', EDGE_TLS_KEY_FILE: 'a.key' })).tls?.certFile).toMatch(/a\.crt$/);
  });

  it('a certificate and key that do not belong together stop start-up, without the key in the message', async () => {
    const own = await makeTestTls(await mkdtemp(join(dir, 'pair-')));
    const other = await issueServerCertificate(own.ca, { dnsNames: ['till.shop.lan'], ipAddresses: [] });
    const certFile = join(dir, 'other.crt');
    await writeFile(certFile, other.certPem);
    const started = startEdge({ ...FAST_ENV, EDGE_DATA_DIR: join(dir, 'pair'), EDGE_TLS_CERT_FILE: certFile, EDGE_TLS_KEY_FILE: own.keyFile }, quiet);
    await expect(started).rejects.toThrow('EDGE_TLS_CERT_FILE and EDGE_TLS_KEY_FILE do not make a usable pair');
    await expect(started).rejects.not.toThrow('PRIVATE');
    await expect(startEdge({ ...FAST_ENV, EDGE_DATA_DIR: join(dir, 'pair'), EDGE_TLS_CERT_FILE: '/nope/server.crt', EDGE_TLS_KEY_FILE: own.keyFile }, quiet)).rejects.toThrow('EDGE_TLS_CERT_FILE: cannot read /nope/server.crt (ENOENT)');
    await expect(startEdge({ ...FAST_ENV, EDGE_DATA_DIR: join(dir, 'pair'), EDGE_TLS_CERT_FILE: own.certFile, EDGE_TLS_KEY_FILE: own.keyFile, EDGE_TLS_CA_FILE: own.keyFile }, quiet)).rejects.toThrow('EDGE_TLS_CA_FILE');
  });
});

describe('behind a TLS reverse proxy (EDGE_BEHIND_PROXY=1)', () => {
  let h: EdgeHarness;
  beforeAll(async () => {
    h = await startEdgeHarness({ EDGE_BEHIND_PROXY: '1', EDGE_HOST: '127.0.0.1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  // node:http, not fetch: fetch sets the Host header from the URL, a proxy forwards the tablet's.
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    new Promise<{ status: number; cookie: string; json(): unknown }>((resolve, reject) => {
      const target = new URL(`${h.url}${path}`);
      const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), json: () => JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  it('trusts X-Forwarded-Proto https from the loopback proxy: https links and a Secure cookie', async () => {
    // As Caddy forwards: the tablet's Host, and the scheme it used.
    const proxied = { host: 'till.shop.lan', 'x-forwarded-proto': 'https' };
    const code = (await post('/api/devices/pairing-codes', { role: 'till' }, { ...ADMIN_HEADERS, ...proxied })).json() as { code: string; link: string };
    expect(code.link).toBe(`https://till.shop.lan/pair?code=${code.code}`);
    const paired = await post('/api/devices/pair', { code: code.code, name: 'Counter 2' }, proxied);
    expect(paired.status).toBe(201);
    expect(paired.cookie).toContain('till_device=');
    expect(paired.cookie).toContain('Secure');
    // Without the header the request is what it is: plain http.
    const direct = (await post('/api/devices/pairing-codes', { role: 'till' }, { ...ADMIN_HEADERS, host: 'till.shop.lan' })).json() as { link: string };
    expect(direct.link).toMatch(/^http:\/\/till\.shop\.lan\/pair/);
  });

  it('nginx\'s default Host (the loopback address) with X-Forwarded-Proto https still gets a Secure cookie', async () => {
    const code = (await post('/api/devices/pairing-codes', { role: 'till' }, { ...ADMIN_HEADERS, host: `127.0.0.1:${new URL(h.url).port}`, 'x-forwarded-proto': 'https' })).json() as { code: string };
    const paired = await post('/api/devices/pair', { code: code.code, name: 'Counter 3' }, { host: `127.0.0.1:${new URL(h.url).port}`, 'x-forwarded-proto': 'https' });
    expect(paired.status).toBe(201);
    expect(paired.cookie).toContain('Secure');
  });

  it('ignores X-Forwarded-Proto from any peer but loopback, and without EDGE_BEHIND_PROXY', () => {
    const request = () => new Request('http://till.shop.lan/api/devices/pair', { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: '{}' });
    expect(withScheme(request(), '127.0.0.1', { tls: false, behindProxy: true }).url).toBe('https://till.shop.lan/api/devices/pair');
    expect(withScheme(request(), '::ffff:127.0.0.1', { tls: false, behindProxy: true }).url).toMatch(/^https:/);
    expect(withScheme(request(), '192.168.1.30', { tls: false, behindProxy: true }).url).toMatch(/^http:/);
    expect(withScheme(request(), undefined, { tls: false, behindProxy: true }).url).toMatch(/^http:/);
    expect(withScheme(request(), '127.0.0.1', { tls: false, behindProxy: false }).url).toMatch(/^http:/);
    // On a TLS socket the scheme is https whatever the request line says.
    expect(withScheme(request(), '192.168.1.30', { tls: true, behindProxy: false }).url).toMatch(/^https:/);
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'till.shop.lan', '::ffff:10.0.0.1'].some(isLoopback)).toBe(false);
  });

  it('keeps the request body when it rewrites the scheme', async () => {
    const rewritten = withScheme(new Request('http://x/api', { method: 'POST', headers: { 'x-forwarded-proto': 'https, http' }, body: '{"a":1}' }), '127.0.0.1', { tls: false, behindProxy: true });
    expect(rewritten.url).toBe('https://x/api');
    expect(await rewritten.text()).toBe('{"a":1}');
  });
});

describe('EDGE_PUBLIC_URL', () => {
  it('builds the pairing links of the API, whatever Host the request names', async () => {
    const h = await startEdgeHarness({ EDGE_PUBLIC_URL: 'https://till.example.com' });
    try {
      const { body } = await h.api<{ code: string; link: string }>('POST', '/api/devices/pairing-codes', { role: 'till' }, { host: 'evil.example.net' });
      expect(body.link).toBe(`https://till.example.com/pair?code=${body.code}`);
    } finally {
      await h.close();
    }
  });
});
