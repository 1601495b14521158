import type { AuditLine } from '../auth/audit.js';

// The access port (see ../ports.ts): paired devices, pairing codes and the audit log.

export type DeviceRole = 'till' | 'admin';

/** A paired tablet or phone. Its credential is stored only as a hash. */
export interface DeviceRecord {
  readonly id: string;
  readonly name: string;
  readonly role: DeviceRole;
  /** The TIDs it may use; ['*'] for all. */
  readonly terminals: readonly string[];
  readonly tokenHash: string;
  readonly createdAt: string;
  readonly revokedAt: string | undefined;
}

export interface PairingCodeRecord {
  readonly codeHash: string;
  readonly role: DeviceRole;
  readonly terminals: readonly string[];
  readonly expiresAt: number;
  readonly createdAt: string;
}

/** Devices, pairing codes and the audit log. */
export interface AccessStore {
  savePairingCode(code: PairingCodeRecord): Promise<void>;
  /**
   * Uses the code (once) and stores the device with the code's role and terminals, in one
   * transaction; undefined if unknown, used or expired.
   */
  redeemPairingCode(codeHash: string, now: number, device: Omit<DeviceRecord, 'role' | 'terminals'>): Promise<DeviceRecord | undefined>;
  deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | undefined>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  listDevices(): Promise<DeviceRecord[]>;
  saveDevice(device: DeviceRecord): Promise<void>;
  lastAuditLine(): Promise<AuditLine | undefined>;
  /** Appends a line; false when its seq is taken (another writer was first). */
  insertAuditLine(line: AuditLine): Promise<boolean>;
  auditLines(): Promise<AuditLine[]>;
}
