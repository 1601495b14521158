import { KeyedMutex } from '../keyed-mutex.js';
import type { AccessStore, Clock, Logger } from '../ports.js';
import { GENESIS_HASH, hashLine, type AuditFields, type AuditLine } from './audit.js';

/** Appends audit lines one at a time, each chained to the one before. */
export class AuditLog {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly store: AccessStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  record(fields: AuditFields): Promise<AuditLine> {
    return this.mutex.run('audit', async () => {
      for (;;) {
        const last = await this.store.lastAuditLine();
        const unsigned = { ...fields, seq: (last?.seq ?? 0) + 1, at: new Date(this.clock.now()).toISOString(), prevHash: last?.hash ?? GENESIS_HASH };
        const line = { ...unsigned, hash: await hashLine(unsigned) };
        if (await this.store.insertAuditLine(line)) {
          // The head hash in the log too: a copy outside the database, so truncation shows.
          this.logger.info('audit', { seq: line.seq, action: line.action, actor: line.actor, ruid: line.ruid, result: line.result, hash: line.hash });
          return line;
        }
      }
    });
  }
}
