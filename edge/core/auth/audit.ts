import { sha256Hex } from './tokens.js';

// An append-only audit log of who did what. Each line carries the hash of the line before it, so a
// changed or removed line breaks the chain (`npm run audit:verify`).

export interface AuditFields {
  readonly actor: string;
  readonly action: string;
  readonly ruid: string | undefined;
  readonly result: string;
}

export interface AuditLine extends AuditFields {
  readonly seq: number;
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** The text a line's hash covers: every field but the hash, in a fixed order. */
export function auditPayload(line: Omit<AuditLine, 'hash'>): string {
  return JSON.stringify([line.seq, line.at, line.actor, line.action, line.ruid ?? null, line.result, line.prevHash]);
}

export async function hashLine(line: Omit<AuditLine, 'hash'>): Promise<string> {
  return sha256Hex(auditPayload(line));
}

/** The first line that does not fit the chain, or undefined when every line does. */
export async function verifyChain(lines: readonly AuditLine[]): Promise<{ seq: number; reason: string } | undefined> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const line of lines) {
    if (line.seq !== expectedSeq) return { seq: line.seq, reason: `expected line ${expectedSeq} (a line was removed)` };
    if (line.prevHash !== prev) return { seq: line.seq, reason: 'does not follow the line before it' };
    if ((await hashLine(line)) !== line.hash) return { seq: line.seq, reason: 'its content does not match its hash (changed)' };
    prev = line.hash;
    expectedSeq += 1;
  }
  return undefined;
}
