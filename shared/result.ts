import type { FieldRule } from './reasons.js';

/**
 * A refusal of one input value: which field, which rule (a code the till words), and a sentence
 * for the log and API developers.
 */
export interface FieldError {
  readonly field: string;
  readonly rule: FieldRule;
  readonly message: string;
  /** For an amount over what is left (of a purchase, a sale's cash, a hold): what is left, "5.00". */
  readonly left?: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

export function accept<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refuse<T = never>(field: string, rule: FieldRule, message: string): Checked<T> {
  return { ok: false, error: { field, rule, message } };
}
