import { formatCents, type Cents } from '../../../shared/money.js';
import type { Payment, PaymentKind, PaymentLine, TerminalTransport } from '../../../shared/payments.js';
import type { PaymentReference } from '../../../shared/validation.js';

// A payment as it is first stored (`accepted`), whatever reaches the terminal (the cloud processor,
// the LAN service), and the rule that tells a resend of it from a different request under its RUID.

export interface NewPaymentFields {
  readonly ruid: string;
  readonly kind: PaymentKind;
  readonly tid: string;
  readonly currency: string;
  readonly amountCents: Cents;
  readonly reference: PaymentReference | undefined;
  readonly originalRuid: string | undefined;
  readonly transport: TerminalTransport;
  readonly lines?: readonly PaymentLine[] | undefined;
}

export function acceptedPayment(fields: NewPaymentFields, now: string): Payment {
  return {
    ruid: fields.ruid,
    kind: fields.kind,
    tid: fields.tid,
    currency: fields.currency,
    amount: formatCents(fields.amountCents),
    amountCents: fields.amountCents,
    reference: fields.reference,
    originalRuid: fields.originalRuid,
    transport: fields.transport,
    ...(fields.lines && fields.lines.length > 0 ? { lines: fields.lines } : {}),
    state: 'accepted',
    myposStatus: undefined,
    responseCode: undefined,
    reason: 'sending',
    receipt: undefined,
    createdAt: now,
    updatedAt: now,
  };
}

/** The same request again (a resend): same kind, terminal, amount, original and reference. */
export function sameRequest(a: Payment, b: Payment): boolean {
  return (
    a.kind === b.kind &&
    a.tid === b.tid &&
    a.amountCents === b.amountCents &&
    a.originalRuid === b.originalRuid &&
    a.reference?.number === b.reference?.number &&
    a.reference?.type === b.reference?.type
  );
}
