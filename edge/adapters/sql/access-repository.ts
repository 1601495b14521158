import type { AuditLine } from '../../core/auth/audit.js';
import type { AccessStore, DeviceRecord, PairingCodeRecord } from '../../core/ports.js';
import type { SqlDatabase } from './sql-database.js';

// AccessStore in SQLite: paired devices, pairing codes, the audit log. The log is append-only in
// the schema itself (triggers refuse UPDATE and DELETE), not only here.

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ruid: string | null;
  result: string;
  prev_hash: string;
  hash: string;
  /** Absent from a file made before the MAC (read by the verifier without migrating it). */
  mac?: string | null;
}

function toAuditLine(row: AuditRow): AuditLine {
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, ruid: row.ruid ?? undefined, result: row.result, prevHash: row.prev_hash, hash: row.hash, mac: row.mac ?? undefined };
}

/** The audit lines of a database, oldest first (the verifier opens the file read-only, unmigrated). */
export function readAuditLines(db: SqlDatabase): AuditLine[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]).map(toAuditLine);
}

export class AccessRepository implements AccessStore {
  constructor(private readonly db: SqlDatabase) {}

  async savePairingCode(code: PairingCodeRecord): Promise<void> {
    this.db.prepare('INSERT INTO pairing_codes (code_hash, code, used_at) VALUES (?, ?, NULL)').run(code.codeHash, JSON.stringify(code));
  }

  async redeemPairingCode(codeHash: string, now: number, device: Omit<DeviceRecord, 'role' | 'terminals'>): Promise<DeviceRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT code, used_at FROM pairing_codes WHERE code_hash = ?').get(codeHash) as { code: string; used_at: number | null } | undefined;
      if (!row || row.used_at !== null) return undefined;
      const code = JSON.parse(row.code) as PairingCodeRecord;
      if (code.expiresAt <= now) return undefined;
      this.db.prepare('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?').run(now, codeHash);
      const created: DeviceRecord = { ...device, role: code.role, terminals: code.terminals };
      this.db.prepare('INSERT INTO devices (id, token_hash, device) VALUES (?, ?, ?)').run(created.id, created.tokenHash, JSON.stringify(created));
      return created;
    });
  }

  async deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | undefined> {
    const row = this.db.prepare('SELECT device FROM devices WHERE token_hash = ?').get(tokenHash) as { device: string } | undefined;
    return row ? (JSON.parse(row.device) as DeviceRecord) : undefined;
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const row = this.db.prepare('SELECT device FROM devices WHERE id = ?').get(id) as { device: string } | undefined;
    return row ? (JSON.parse(row.device) as DeviceRecord) : undefined;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (this.db.prepare('SELECT device FROM devices ORDER BY rowid').all() as Array<{ device: string }>).map((row) => JSON.parse(row.device) as DeviceRecord);
  }

  async saveDevice(device: DeviceRecord): Promise<void> {
    this.db.prepare('UPDATE devices SET device = ? WHERE id = ?').run(JSON.stringify(device), device.id);
  }

  async lastAuditLine(): Promise<AuditLine | undefined> {
    const row = this.db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow | undefined;
    return row ? toAuditLine(row) : undefined;
  }

  async insertAuditLine(line: AuditLine): Promise<boolean> {
    try {
      this.db
        .prepare('INSERT INTO audit_log (seq, at, actor, action, ruid, result, prev_hash, hash, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(line.seq, line.at, line.actor, line.action, line.ruid ?? null, line.result, line.prevHash, line.hash, line.mac ?? null);
      return true;
    } catch (error) {
      // Another writer took the seq first: the caller reads the new last line and tries again.
      if (error instanceof Error && error.message.includes('UNIQUE constraint failed: audit_log.seq')) return false;
      throw error;
    }
  }

  async auditLines(): Promise<AuditLine[]> {
    return readAuditLines(this.db);
  }
}
