import { reasonOf, STATE_REASONS, type Payment } from '../../../shared/payments.js';
import type { ApiError } from './net/http.js';
import { formatWireMoney } from './format.js';
import { t } from './messages/index.svelte.js';

// The edge answers codes and data; these put them in the till's words, in the chosen language
// (messages/en.ts and bg.ts: reasons, problems). The edge's `message` is never shown.

/** A reason code's words; one this till does not know (a newer edge) reads as its state's. */
function reasonWords(reason: string | undefined, fallback: string): string {
  const words = t.reasons as Readonly<Record<string, string | undefined>>;
  return (reason === undefined ? undefined : words[reason]) ?? words[fallback] ?? '';
}

/** Why a payment is where it is: its reason, with the issuer's or myPOS's code after a decline or a refusal. */
export function paymentDetail(payment: Payment): string {
  const words = reasonWords(reasonOf(payment), STATE_REASONS[payment.state]);
  if (payment.state === 'declined' && payment.responseCode && payment.responseCode !== '00') return `${words} ${t.payment.responseCode(payment.responseCode)}`;
  if ((payment.state === 'declined' || payment.state === 'failed') && payment.myposStatus && payment.myposStatus !== '0') return `${words} ${t.payment.myposStatus(payment.myposStatus)}`;
  return words;
}

/** A field that broke a rule (the edge's 400, or the till's own check with the same shared rules). */
export function fieldProblem(error: { readonly field?: string | undefined; readonly rule?: string | undefined; readonly left?: string | undefined }, currency?: string): string {
  const field = error.field ?? '';
  const label = t.problems.fields[field] ?? field;
  const rules = t.problems.rules as Readonly<Record<string, ((field: string, left: string) => string) | undefined>>;
  const words = error.rule === undefined ? undefined : rules[error.rule];
  const left = error.left === undefined ? '' : currency ? formatWireMoney(error.left, currency) : error.left;
  return words ? words(label, left) : label ? `${label}: ${t.problems.codes.invalid}` : t.problems.codes.invalid;
}

/** An error body of the edge in words; `currency` formats the amounts it carries (left). */
export function errorText(error: Omit<ApiError, 'message'>, currency?: string): string {
  const codes = t.problems.codes as Readonly<Record<string, string | undefined>>;
  const code = error.code ?? (error.field ? 'invalid' : 'bad_response');
  switch (code) {
    case 'invalid':
    case 'too_large':
      return error.rule ? fieldProblem(error, currency) : (codes[code] ?? '');
    case 'admin_required':
      return error.left === undefined ? t.problems.codes.admin_required : t.problems.adminLeft(currency ? formatWireMoney(error.left, currency) : error.left);
    case 'mypos_refused':
      return error.reason ? `${reasonWords(error.reason, 'not_started')}${error.status ? ` ${t.payment.myposStatus(error.status)}` : ''}` : t.problems.codes.mypos_refused;
    case 'currency_locked':
      return error.currency ? t.shopProfile.currencyLocked(error.currency) : t.problems.codes.currency_locked;
    default:
      return codes[code] ?? t.problems.other(code);
  }
}

/** A failed request in words: no answer at all (status 0) is "not reachable". */
export function problemText(answer: { readonly status: number; readonly error: ApiError }, currency?: string): string {
  return answer.status === 0 ? t.sale.unreachable : errorText(answer.error, currency);
}
