import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateKeyAndCertificate } from './keygen.js';

/** Reads a key pair from files, or makes one there first (demo mode and the key tool). */
export async function ensureKeyFiles(keyFile: string, certFile: string, commonName: string): Promise<{ privateKeyPem: string; certificatePem: string; created: boolean }> {
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { privateKeyPem: await readFile(keyFile, 'utf8'), certificatePem: await readFile(certFile, 'utf8'), created: false };
  }
  const generated = await generateKeyAndCertificate(commonName);
  await mkdir(dirname(keyFile), { recursive: true });
  await mkdir(dirname(certFile), { recursive: true });
  await writeFile(keyFile, generated.privateKeyPem, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  await writeFile(certFile, generated.certificatePem);
  return { privateKeyPem: generated.privateKeyPem, certificatePem: generated.certificatePem, created: true };
}
