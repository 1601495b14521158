import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureKeyFiles } from './key-files.js';

// npm run keys [-- --out <dir>] [--cn <name>] [--force]: makes the partner's RSA-2048 key and
// self-signed certificate for myPOS and prints what to send them.

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const outDir = resolve(option('--out') ?? 'data/keys');
const commonName = option('--cn') ?? 'myPOS till partner';
const keyFile = `${outDir}/partner-key.pem`;
const certFile = `${outDir}/partner-cert.pem`;

if (existsSync(keyFile) && !args.includes('--force')) {
  console.error(`${keyFile} already exists; keep it, or pass --force to make a new key (the old certificate stops working).`);
  process.exit(1);
}
if (args.includes('--force')) {
  const { rm } = await import('node:fs/promises');
  await rm(keyFile, { force: true });
  await rm(certFile, { force: true });
}
await ensureKeyFiles(keyFile, certFile, commonName);
console.log(`Private key:  ${keyFile}  (PKCS#8 PEM, mode 600; never send it, never commit it)
Certificate:  ${certFile}  (X.509 PEM, valid 1 year)

Send to myPOS:
  1. the certificate file above (myPOS also accepts it as PEM PKCS#7: openssl crl2pkcs7 -nocrl -certfile ${certFile})
  2. the key_index you will use for it (MYPOS_KEY_INDEX, 1 for the first key)
Ask myPOS for:
  3. their certificate (MYPOS_CERT_FILE) and your API login (MYPOS_LOGIN)
Then set MYPOS_PRIVATE_KEY_FILE=${keyFile} and test against the myPOS test endpoint first.`);
