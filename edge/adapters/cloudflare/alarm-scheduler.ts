import type { Logger, Scheduler } from '../../core/ports.js';

// The processor's timers as a Durable Object alarm. An object has one alarm: it is set to the
// earliest task and re-armed after each run. Tasks live in memory; when the object was evicted,
// they are gone and the object resumes its terminal's payments from the store instead (the
// payment machine's recovery), which is why running a task twice must be harmless: every task is a
// status check or a same-RUID resend.

export class AlarmScheduler implements Scheduler {
  private readonly tasks = new Map<string, { readonly at: number; readonly task: () => Promise<void> }>();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly logger: Logger,
  ) {}

  schedule(key: string, delayMs: number, task: () => Promise<void>): void {
    this.tasks.set(key, { at: Date.now() + delayMs, task });
    void this.arm();
  }

  cancel(key: string): void {
    this.tasks.delete(key);
    void this.arm();
  }

  close(): void {
    this.tasks.clear();
  }

  /** The alarm handler's work: every due task, once; the caller re-arms in finally. */
  async runDue(): Promise<void> {
    const now = Date.now();
    for (const [key, entry] of [...this.tasks]) {
      if (entry.at > now || this.tasks.get(key) !== entry) continue;
      this.tasks.delete(key);
      try {
        await entry.task();
      } catch (error) {
        this.logger.error('scheduled task failed', { key, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async arm(): Promise<void> {
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.tasks.values()) next = Math.min(next, entry.at);
    if (next === Number.POSITIVE_INFINITY) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(Math.max(next, Date.now()));
  }
}
