import { base64ToBytes } from './base64.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block of a text, in order. Headers such as Proc-Type make a block unreadable. */
export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] ?? '';
    const body = match[2] ?? '';
    if (body.includes(':')) throw new PemError(`the ${label} block has PEM headers (is it encrypted?); give an unencrypted PEM`);
    const der = base64ToBytes(body);
    if (!der) throw new PemError(`the ${label} block is not valid base64`);
    blocks.push({ label, der });
  }
  return blocks;
}

export class PemError extends Error {
  override readonly name = 'PemError';
}
