/** A refusal of one input value: which field, which rule, and a sentence a person can act on. */
export interface FieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

export function accept<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function refuse<T = never>(field: string, rule: string, message: string): Checked<T> {
  return { ok: false, error: { field, rule, message } };
}
