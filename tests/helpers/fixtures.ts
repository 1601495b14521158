import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../fixtures/openssl/', import.meta.url));

export const opensslFixtures = {
  dir,
  pkcs8Pem: readFileSync(`${dir}key.pkcs8.pem`, 'utf8'),
  pkcs1Pem: readFileSync(`${dir}key.pkcs1.pem`, 'utf8'),
  certPem: readFileSync(`${dir}cert.pem`, 'utf8'),
  pkcs7Pem: readFileSync(`${dir}cert.p7b.pem`, 'utf8'),
  vectors: JSON.parse(readFileSync(`${dir}vectors.json`, 'utf8')) as Array<{ text: string; signature: string }>,
};
