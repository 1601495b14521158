import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../edge/adapters/node/config.js';
import { startEdge } from '../../../edge/adapters/node/start.js';
import { jsonLogger } from '../../../edge/adapters/node/logger.js';
import { newRuid } from '../../../shared/ruid.js';
import { opensslFixtures } from '../../helpers/fixtures.js';
import { startEdgeHarness } from '../../helpers/edge-harness.js';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const live = { MYPOS_ENDPOINT: 'test', MYPOS_LOGIN: 'shop@example.com', MYPOS_CERT_FILE: join(opensslFixtures.dir, 'cert.pem'), EDGE_ADMIN_TOKEN: 'config-test-admin-token-0123456789abcdef' };

describe('configuration', () => {
  it('in live mode, a missing or unreadable key stops start-up with a message naming the variable', async () => {
    await expect(loadConfig({ ...live })).rejects.toThrow('MYPOS_PRIVATE_KEY_FILE is required');
    await expect(loadConfig({ ...live, MYPOS_PRIVATE_KEY_FILE: '/nope/key.pem' })).rejects.toThrow('MYPOS_PRIVATE_KEY_FILE: cannot read /nope/key.pem (ENOENT)');
    await expect(loadConfig({ ...live, MYPOS_PRIVATE_KEY_FILE: `1=${join(opensslFixtures.dir, 'key.pkcs8.pem')}`, MYPOS_KEY_INDEX: '2' })).rejects.toThrow('MYPOS_KEY_INDEX 2 has no key');
    await expect(loadConfig({ ...live, MYPOS_PRIVATE_KEY_FILE: 'x', MYPOS_CERT_FILE: undefined })).rejects.toThrow('MYPOS_CERT_FILE');
    await expect(loadConfig({ PORT: 'eighty' })).rejects.toThrow('PORT must be a whole number');
    await expect(loadConfig({ ...live, EDGE_ADMIN_TOKEN: undefined, MYPOS_PRIVATE_KEY_FILE: join(opensslFixtures.dir, 'key.pkcs1.pem') })).rejects.toThrow('EDGE_ADMIN_TOKEN is required');
    await expect(loadConfig({ EDGE_ADMIN_TOKEN: 'short' })).rejects.toThrow('at least 16 characters');
    await expect(loadConfig({ AMOUNT_CAP: '100' })).rejects.toThrow('AMOUNT_CAP');
  });

  it('picks the myPOS test or production endpoint, and refuses plain http outside localhost', async () => {
    const config = await loadConfig({ ...live, MYPOS_PRIVATE_KEY_FILE: join(opensslFixtures.dir, 'key.pkcs1.pem') });
    expect(config.live?.endpoint).toBe('https://demotest-crrservice.mypos.com/infromhttp');
    const edge = startEdge({ ...live, MYPOS_ENDPOINT: 'http://mypos.example.com/infromhttp', MYPOS_PRIVATE_KEY_FILE: join(opensslFixtures.dir, 'key.pkcs1.pem'), EDGE_DATA_DIR: dir, PORT: '0' }, jsonLogger(() => undefined));
    await expect(edge).rejects.toThrow('must use https');
  });

  it('a key file that is not a key fails without printing its content', () => {
    const result = spawnSync(join(root, 'node_modules/.bin/tsx'), ['edge/adapters/node/main.ts'], {
      cwd: root,
      env: { ...process.env, ...live, MYPOS_PRIVATE_KEY_FILE: join(opensslFixtures.dir, 'cert.pem'), EDGE_DATA_DIR: dir, PORT: '0' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('edge could not start');
    expect(result.stderr).toContain('no private key found');
    expect(result.stderr + result.stdout).not.toContain('BEGIN');
  });

  it('the built PWA holds no key or certificate material', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dist = resolve(root, 'dist/web');
    const files = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(3);
    const demoKey = readFileSync(join(opensslFixtures.dir, 'key.pkcs8.pem'), 'utf8').split('\n')[1] ?? 'unused';
    for (const file of files) {
      const text = readFileSync(join(file.parentPath, file.name)).toString('latin1');
      expect(text, file.name).not.toMatch(/BEGIN (RSA |ENCRYPTED )?PRIVATE KEY|BEGIN CERTIFICATE|BEGIN PKCS7/);
      expect(text, file.name).not.toContain(demoKey);
    }
  });

  it('no key material in logs or responses after a run of payments', async () => {
    const h = await startEdgeHarness();
    try {
      const ruid = newRuid();
      const created = await h.api('POST', '/api/payments', { ruid, tid: '90000015', amount: '5.00' });
      await h.waitFor(ruid, ['approved']);
      const bodies = [JSON.stringify(created.body), JSON.stringify((await h.api('GET', `/api/payments/${ruid}`)).body), JSON.stringify((await h.api('GET', '/api/health')).body)];
      const keyPem = await readFile(join(h.edge.config.dataDir, 'keys/partner-key.pem'), 'utf8');
      const keyLines = keyPem.split('\n').filter((line) => line.length > 40);
      for (const text of [...h.logs, ...bodies]) {
        expect(text).not.toContain('PRIVATE KEY');
        for (const line of keyLines) expect(text).not.toContain(line);
      }
      expect(h.logs.length).toBeGreaterThan(3);
    } finally {
      await h.close();
    }
  });
});
