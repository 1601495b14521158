import type { Logger, Scheduler } from './ports.js';

/** setTimeout-based scheduling (Web standard); tasks that throw are logged, never crash the process. */
export class TimerScheduler implements Scheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(private readonly logger: Logger) {}

  schedule(key: string, delayMs: number, task: () => Promise<void>): void {
    if (this.closed) return;
    this.cancel(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      task().catch((error: unknown) => this.logger.error('scheduled task failed', { key, error: error instanceof Error ? error.message : String(error) }));
    }, delayMs);
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
