// The payment link's time left, as the checkout screen counts it down. Pure; apart from
// online.ts, which the outbox (in the first load) uses, so this loads with the payment screen.

/** Whole seconds left until the link expires, as a countdown shows them (0 in its last second and after). */
export function secondsLeft(expiresAt: string, now: number): number {
  const at = Date.parse(expiresAt);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - now) / 1000));
}

/** A countdown as a clock shows it: 905 → "15:05", 59 → "0:59". */
export function clockText(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
