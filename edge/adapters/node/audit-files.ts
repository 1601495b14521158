import { open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formatAuditHead, importAuditKey, type AuditHead } from '../../core/auth/audit.js';
import { randomToken } from '../../core/auth/tokens.js';
import { AUDIT_KEY_MIN_LENGTH, auditKeySetting, ConfigError, type Env } from '../../core/env-settings.js';
import { PRIVATE_FILE_MODE, privateDirSync, privateFileSync, syncDirectory } from './file-modes.js';

// The Node edge's audit files in the data folder, apart from the database: the key each audit line's
// HMAC is made with (unless EDGE_AUDIT_KEY gives it), and audit-head.log, where the chain's end is
// appended (and fsynced) at every line. `npm run audit:verify` reads both.

export const AUDIT_KEY_FILE = 'audit-key';
export const AUDIT_HEAD_FILE = 'audit-head.log';

export interface AuditSecret {
  readonly secret: string;
  /** env: EDGE_AUDIT_KEY; file: the data folder's audit-key. */
  readonly source: 'env' | 'file';
  readonly file: string | undefined;
  /** The file was made now (the first start). */
  readonly created: boolean;
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: string } | undefined)?.code;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    const secret = (await readFile(file, 'utf8')).trim();
    if (secret.length < AUDIT_KEY_MIN_LENGTH) throw new ConfigError(`${file} must hold the audit key, at least ${AUDIT_KEY_MIN_LENGTH} characters (it holds ${secret.length})`);
    privateFileSync(file);
    return secret;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The audit key: EDGE_AUDIT_KEY, else the data folder's audit-key file. With `create` (the edge) a
 * missing file is made, mode 600, with 256 random bits; without it (the verifier) a missing key is an error.
 */
export async function loadAuditSecret(env: Env, dataDir: string, options: { readonly create: boolean }): Promise<AuditSecret> {
  const fromEnv = auditKeySetting(env);
  if (fromEnv !== undefined) return { secret: fromEnv, source: 'env', file: undefined, created: false };
  const file = join(dataDir, AUDIT_KEY_FILE);
  const found = await readKeyFile(file);
  if (found !== undefined) return { secret: found, source: 'file', file, created: false };
  if (!options.create) throw new ConfigError(`no audit key: set EDGE_AUDIT_KEY, or keep ${file} (made by the edge at its first start)`);
  privateDirSync(dataDir);
  const secret = randomToken(32);
  try {
    // wx: never over a key another process made at the same moment.
    await writeFile(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx', flush: true });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const other = await readKeyFile(file);
    if (other === undefined) throw error;
    return { secret: other, source: 'file', file, created: false };
  }
  privateFileSync(file);
  return { secret, source: 'file', file, created: true };
}

/**
 * audit-head.log: one line "count mac at" appended at every audit line, fsynced before the request
 * goes on. Opened for each record (appends are rare next to a payment's work), mode 600.
 */
export function fileAuditHead(file: string): AuditHead {
  let directorySynced = false;
  return {
    async append(count: number, mac: string): Promise<void> {
      const handle = await open(file, 'a', PRIVATE_FILE_MODE);
      try {
        await handle.appendFile(formatAuditHead(count, mac, new Date().toISOString()));
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (!directorySynced) {
        directorySynced = true;
        privateFileSync(file);
        await syncDirectory(dirname(file));
      }
    },
  };
}


export interface NodeAudit {
  readonly key: CryptoKey;
  readonly head: AuditHead;
  readonly secret: AuditSecret;
  readonly headFile: string;
}

/** The edge's audit key and head file in its data folder (the key file made on first start). */
export async function nodeAudit(env: Env, dataDir: string): Promise<NodeAudit> {
  privateDirSync(dataDir);
  const secret = await loadAuditSecret(env, dataDir, { create: true });
  const headFile = join(dataDir, AUDIT_HEAD_FILE);
  privateFileSync(headFile);
  return { key: await importAuditKey(secret.secret), head: fileAuditHead(headFile), secret, headFile };
}
