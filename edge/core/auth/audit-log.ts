import { KeyedMutex } from '../keyed-mutex.js';
import type { AccessStore, Clock, Logger } from '../ports.js';
import { GENESIS_HASH, GENESIS_MAC, hashLine, macLine, type AuditFields, type AuditHead, type AuditLine } from './audit.js';

export interface AuditLogOptions {
  /** The HMAC key (importAuditKey); without one, lines carry no MAC and a warning is logged once. */
  readonly key: CryptoKey | undefined;
  /** Where the chain's end is kept outside the database (Node: audit-head.log); unset on Workers. */
  readonly head?: AuditHead | undefined;
}

/** Appends audit lines one at a time, each chained to the one before by its hash and its MAC. */
export class AuditLog {
  private readonly mutex = new KeyedMutex();
  private warnedNoKey = false;

  constructor(
    private readonly store: AccessStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: AuditLogOptions = { key: undefined },
  ) {}

  record(fields: AuditFields): Promise<AuditLine> {
    return this.mutex.run('audit', () => this.append(fields));
  }

  /**
   * At start: a log whose last line has no MAC (written before the edge had its key) gets one line
   * that seals it under the key (its MAC covers the last hash before it); then the head file learns
   * the chain's end, so it exists from the first start on.
   */
  start(): Promise<void> {
    return this.mutex.run('audit', async () => {
      if (!this.options.key) return;
      const last = await this.store.lastAuditLine();
      if (last !== undefined && last.mac === undefined) {
        await this.append({ actor: 'edge', action: 'audit.key', ruid: undefined, result: `sealed:${last.seq}` });
        return;
      }
      await this.writeHead(last?.seq ?? 0, last?.mac ?? GENESIS_MAC);
    });
  }

  private async append(fields: AuditFields): Promise<AuditLine> {
    const { key } = this.options;
    if (!key && !this.warnedNoKey) {
      this.warnedNoKey = true;
      this.logger.warn('audit lines are written without a MAC: the edge has no audit key (EDGE_AUDIT_KEY)');
    }
    for (;;) {
      const last = await this.store.lastAuditLine();
      const unsigned = { ...fields, seq: (last?.seq ?? 0) + 1, at: new Date(this.clock.now()).toISOString(), prevHash: last?.hash ?? GENESIS_HASH };
      const hashed = { ...unsigned, hash: await hashLine(unsigned) };
      const line: AuditLine = { ...hashed, mac: key ? await macLine(key, hashed, last?.mac ?? GENESIS_MAC) : undefined };
      if (await this.store.insertAuditLine(line)) {
        if (line.mac !== undefined) await this.writeHead(line.seq, line.mac);
        // The head in the log too: one more copy outside the database.
        this.logger.info('audit', { seq: line.seq, action: line.action, actor: line.actor, ruid: line.ruid, result: line.result, hash: line.hash, mac: line.mac });
        return line;
      }
    }
  }

  /** The line is stored either way: a head that could not be written is logged, not the request's failure. */
  private async writeHead(count: number, mac: string): Promise<void> {
    if (!this.options.head) return;
    try {
      await this.options.head.append(count, mac);
    } catch (error) {
      this.logger.error('audit head not written', { count, error: error instanceof Error ? error.message : String(error) });
    }
  }
}
