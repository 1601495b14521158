import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, privateFileSync } from '../adapters/node/file-modes.js';
import { generateKeyAndCertificate } from './keygen.js';

/**
 * Reads a key pair from files, or makes one there first (demo mode and the key tool). New folders
 * are 700, both files 600; a key file found open to others is set to 600.
 */
export async function ensureKeyFiles(keyFile: string, certFile: string, commonName: string): Promise<{ privateKeyPem: string; certificatePem: string; created: boolean }> {
  if (existsSync(keyFile) && existsSync(certFile)) {
    privateFileSync(keyFile);
    return { privateKeyPem: await readFile(keyFile, 'utf8'), certificatePem: await readFile(certFile, 'utf8'), created: false };
  }
  const generated = await generateKeyAndCertificate(commonName);
  await mkdir(dirname(keyFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  await mkdir(dirname(certFile), { recursive: true, mode: PRIVATE_DIR_MODE });
  await writeFile(keyFile, generated.privateKeyPem, { mode: PRIVATE_FILE_MODE });
  privateFileSync(keyFile);
  await writeFile(certFile, generated.certificatePem, { mode: PRIVATE_FILE_MODE });
  privateFileSync(certFile);
  return { privateKeyPem: generated.privateKeyPem, certificatePem: generated.certificatePem, created: true };
}
