import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCertificatesPem, importPrivateKeyPem } from '../../edge/core/mypos/keys.js';
import { signText, verifyText } from '../../edge/core/mypos/signing.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run keys', () => {
  it('makes an RSA-2048 key (mode 600) and a self-signed certificate that verify each other, and says what to send', async () => {
    const output = execFileSync('npm', ['run', '--silent', 'keys', '--', '--out', dir, '--cn', 'Shop Ltd'], { encoding: 'utf8' });
    expect(output).toContain('Send to myPOS');
    const keyPem = await readFile(join(dir, 'partner-key.pem'), 'utf8');
    const certPem = await readFile(join(dir, 'partner-cert.pem'), 'utf8');
    expect(output).not.toContain(keyPem.split('\n')[1]);
    expect((await stat(join(dir, 'partner-key.pem'))).mode & 0o777).toBe(0o600);
    const [certificate] = await importCertificatesPem(certPem);
    if (!certificate) throw new Error('no certificate');
    expect(certificate.subject).toContain('Shop Ltd');
    const days = (certificate.notAfter.getTime() - certificate.notBefore.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(365);
    const signature = await signText(await importPrivateKeyPem(keyPem), 'a;b');
    expect(await verifyText(certificate.publicKey, 'a;b', signature)).toBe(true);
    // openssl reads both files and agrees they are one RSA-2048 pair.
    const modulusKey = execFileSync('openssl', ['rsa', '-in', join(dir, 'partner-key.pem'), '-noout', '-modulus'], { encoding: 'utf8' });
    const modulusCert = execFileSync('openssl', ['x509', '-in', join(dir, 'partner-cert.pem'), '-noout', '-modulus'], { encoding: 'utf8' });
    expect(modulusKey).toBe(modulusCert);
    expect(execFileSync('openssl', ['rsa', '-in', join(dir, 'partner-key.pem'), '-noout', '-text'], { encoding: 'utf8' })).toContain('2048 bit');
  });

  it('refuses to overwrite an existing key without --force', () => {
    const again = spawnSync('npm', ['run', '--silent', 'keys', '--', '--out', dir], { encoding: 'utf8' });
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already exists');
  });
});
