import type { Clock, Logger } from '../../core/ports.js';

/** Offsets up to this are the HTTP Date header's one-second resolution plus the round trip. */
export const CLOCK_OFFSET_WARNING_MS = 5_000;

/**
 * The edge's clock, and how far it is from myPOS's, read from the Date header of verified answers:
 * logs and disputes need the two to agree, so a drift over a few seconds is reported.
 */
export class ClockWatch implements Clock {
  offsetMs: number | undefined;
  private warned = false;

  constructor(private readonly logger: Logger) {}

  now(): number {
    return Date.now();
  }

  observe(myposTime: number, sentAt: number, receivedAt: number): void {
    if (Number.isNaN(myposTime)) return;
    // myPOS stamped the answer somewhere between our send and receive: compare with the middle.
    const offset = myposTime - (sentAt + receivedAt) / 2;
    this.offsetMs = Math.round(offset);
    const large = Math.abs(offset) > CLOCK_OFFSET_WARNING_MS;
    if (large && !this.warned) this.logger.warn('clock differs from myPOS', { offsetMs: this.offsetMs });
    this.warned = large;
  }
}
