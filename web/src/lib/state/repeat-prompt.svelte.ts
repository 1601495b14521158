import type { RepeatWarning } from '../checkout/repeat-charge.js';

// "€20.21 was approved on this terminal 40 s ago — charge again?": asked before the charge is sent,
// answered in RepeatChargeDialog (mounted once, in App.svelte).

export const repeatPrompt = $state<{ warning: RepeatWarning | undefined; currency: string }>({ warning: undefined, currency: 'EUR' });
let answer: ((yes: boolean) => void) | undefined;

export function askRepeat(warning: RepeatWarning, currency: string): Promise<boolean> {
  answer?.(false);
  repeatPrompt.warning = warning;
  repeatPrompt.currency = currency;
  return new Promise((resolve) => (answer = resolve));
}

export function answerRepeat(yes: boolean): void {
  repeatPrompt.warning = undefined;
  const resolve = answer;
  answer = undefined;
  resolve?.(yes);
}
