import { sha256Hex } from './tokens.js';

// An append-only audit log of who did what. Each line carries the hash of the line before it, and an
// HMAC-SHA-256 made with a key kept apart from the database (EDGE_AUDIT_KEY, or the Node edge's
// audit-key file) over the line and the MAC before it. Anyone can recompute a plain hash chain after
// changing a line; only the key's holder can recompute the MACs. The chain's end (how many lines, the
// last MAC) is also kept outside the database (audit-head.log on Node), so a cut-off tail shows.
// `npm run audit:verify` checks all of it.

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
  /**
   * HMAC-SHA-256 (hex) with the audit key over the line and the MAC of the line before (GENESIS_MAC
   * for the first line with one). Undefined on the lines an edge wrote before it had a key: the
   * legacy prefix, checked by its hashes and sealed by the first MAC, which covers their last hash.
   */
  readonly mac: string | undefined;
}

export const GENESIS_HASH = '0'.repeat(64);
/** The "MAC before" the first line with a MAC, and the head of an empty log. */
export const GENESIS_MAC = '0'.repeat(64);

/**
 * Where the chain's end is kept outside the database, at every write: the number of lines and the
 * last line's MAC (Node: audit-head.log in the data folder, appended and fsynced). Workers have no
 * such place (the Durable Object's storage is its only store): there it is not set.
 */
export interface AuditHead {
  append(count: number, mac: string): Promise<void>;
}

/** One record of audit-head.log: the chain had `count` lines, the last with this MAC. */
export interface AuditHeadEntry {
  /** Its line number in the head file, to name it. */
  readonly line: number;
  readonly count: number;
  readonly mac: string;
}

/** The text a line's hash covers: every field but the hash and the MAC, in a fixed order. */
export function auditPayload(line: Omit<AuditLine, 'hash' | 'mac'>): string {
  return JSON.stringify([line.seq, line.at, line.actor, line.action, line.ruid ?? null, line.result, line.prevHash]);
}

export async function hashLine(line: Omit<AuditLine, 'hash' | 'mac'>): Promise<string> {
  return sha256Hex(auditPayload(line));
}

/** The audit key as WebCrypto's HMAC-SHA-256 key: the secret's UTF-8 bytes. */
export function importAuditKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** The MAC of a line: its fields, its hash, and the MAC of the line before. */
export async function macLine(key: CryptoKey, line: Omit<AuditLine, 'mac'>, prevMac: string): Promise<string> {
  const text = JSON.stringify(['audit-mac-1', line.seq, line.at, line.actor, line.action, line.ruid ?? null, line.result, line.prevHash, line.hash, prevMac]);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface ChainProblem {
  /** The line named: the first that does not fit, or the first missing. */
  readonly seq: number;
  readonly reason: string;
}

export interface ChainCheck {
  /** The first line that does not fit the chain; undefined when every line does. */
  readonly broken: ChainProblem | undefined;
  readonly lines: number;
  /** Lines at the start without a MAC (written before the edge had an audit key). */
  readonly legacy: number;
  /** The MAC of line `count` as recomputed (GENESIS_MAC for 0); undefined for a legacy line or past the end. */
  macAt(count: number): string | undefined;
}

/**
 * Checks the hash chain of every line and, with the key, the MAC of every line from the first that
 * has one. A line without a MAC after one with a MAC was not written by an edge with the key.
 */
export async function verifyChain(lines: readonly AuditLine[], key: CryptoKey): Promise<ChainCheck> {
  const macs: Array<string | undefined> = [GENESIS_MAC];
  const result = (broken: ChainProblem | undefined, legacy: number): ChainCheck => ({ broken, lines: lines.length, legacy, macAt: (count) => macs[count] });
  let prevHash = GENESIS_HASH;
  let prevMac: string | undefined;
  let legacy = 0;
  let expectedSeq = 1;
  for (const line of lines) {
    if (line.seq !== expectedSeq) return result({ seq: line.seq, reason: `expected line ${expectedSeq} (a line was removed)` }, legacy);
    if (line.prevHash !== prevHash) return result({ seq: line.seq, reason: 'does not follow the line before it' }, legacy);
    if ((await hashLine(line)) !== line.hash) return result({ seq: line.seq, reason: 'its content does not match its hash (changed)' }, legacy);
    if (line.mac === undefined) {
      if (prevMac !== undefined) return result({ seq: line.seq, reason: `has no MAC although line ${line.seq - 1} before it has one (written without the audit key, or its MAC removed)` }, legacy);
      legacy += 1;
      macs.push(undefined);
    } else {
      const expected = await macLine(key, line, prevMac ?? GENESIS_MAC);
      if (expected !== line.mac) {
        return result({ seq: line.seq, reason: 'its MAC does not match: the line was changed or the chain recomputed without the audit key (or this is not the key the edge uses)' }, legacy);
      }
      prevMac = line.mac;
      macs.push(line.mac);
    }
    prevHash = line.hash;
    expectedSeq += 1;
  }
  return result(undefined, legacy);
}

export interface HeadCheck {
  /** What does not match the head records, naming the line; undefined when the chain's end matches. */
  readonly problem: ChainProblem | undefined;
  /** Lines after the last head record (the edge stopped between writing a line and its head). */
  readonly unheaded: number;
}

/**
 * Compares a chain (checked by verifyChain) with the head records kept outside the database: each
 * record's line must be there with the MAC recorded. A record past the chain's end means lines were
 * cut off; a MAC that differs means the line was changed or the chain rewritten.
 */
export function checkHead(chain: ChainCheck, entries: readonly AuditHeadEntry[]): HeadCheck {
  if (entries.length === 0) {
    return { problem: chain.lines === 0 ? undefined : { seq: 1, reason: 'audit-head.log is missing or empty: the chain\'s end cannot be checked (an edge with an audit key writes it at start and at every line)' }, unheaded: chain.lines };
  }
  // A line the head recorded with a MAC that has none now: the MACs were stripped (and the hashes recomputed).
  const stripped = entries.filter((entry) => entry.count >= 1 && entry.count <= chain.legacy).sort((a, b) => a.count - b.count)[0];
  if (stripped) {
    return { problem: { seq: stripped.count, reason: `has no MAC, but audit-head.log (line ${stripped.line}) recorded it with one: the MACs were removed and the chain rewritten without the audit key` }, unheaded: 0 };
  }
  for (const entry of entries) {
    if (entry.count <= chain.lines && chain.macAt(entry.count) !== entry.mac) {
      return { problem: { seq: entry.count, reason: `is not the line audit-head.log (line ${entry.line}) recorded: it was changed, or the chain rewritten` }, unheaded: 0 };
    }
  }
  const highest = entries.reduce((top, entry) => (entry.count > top.count ? entry : top));
  if (highest.count > chain.lines) {
    const first = chain.lines + 1;
    const missing = first === highest.count ? `line ${first} is missing` : `lines ${first} to ${highest.count} are missing`;
    return { problem: { seq: first, reason: `${missing}: audit-head.log (line ${highest.line}) recorded ${highest.count} lines, the database holds ${chain.lines} (the tail was cut off)` }, unheaded: 0 };
  }
  return { problem: undefined, unheaded: chain.lines - highest.count };
}

/** Reads audit-head.log's text: "count mac at" per line; a last line cut short by a crash is left out. */
export function parseAuditHead(text: string): { entries: AuditHeadEntry[]; bad: { line: number; text: string } | undefined } {
  const rows = text.split('\n');
  // No newline at the end: the last write was cut short (the newline is written with the record).
  if (rows.at(-1) !== '') rows.pop();
  const entries: AuditHeadEntry[] = [];
  for (const [index, row] of rows.entries()) {
    if (row === '') continue;
    const match = /^([0-9]{1,15}) ([0-9a-f]{64})( \S+)?$/.exec(row);
    if (!match) return { entries, bad: { line: index + 1, text: row.slice(0, 80) } };
    entries.push({ line: index + 1, count: Number(match[1]), mac: match[2] ?? '' });
  }
  return { entries, bad: undefined };
}

/** One record of audit-head.log. */
export function formatAuditHead(count: number, mac: string, at: string): string {
  return `${count} ${mac} ${at}\n`;
}
