import type { Payment } from '../../../shared/payments.js';
import { formatMoney } from './format.js';
import type { Messages } from './messages/en.js';

/** The receipt as plain text, for sharing and downloading (the screen and print use Receipt.svelte). */
export function receiptText(payment: Payment, t: Messages): string {
  const receipt = payment.receipt ?? {};
  const lines = [
    receipt.merch_name,
    receipt.merch_address_line1,
    receipt.merch_address_line2,
    '',
    `${t.payment.receipt}: ${formatMoney(payment.amountCents, payment.currency)}`,
    `TID: ${payment.tid}`,
    ...Object.entries(t.payment.receiptFields)
      .filter(([field]) => field !== 'merch_name' && field !== 'merch_address_line1' && receipt[field])
      .map(([field, label]) => `${label}: ${receipt[field]}`),
    '',
    payment.state === 'approved' ? 'APPROVED' : payment.state.toUpperCase(),
  ];
  return `${lines.filter((line): line is string => line !== undefined).join('\n')}\n`;
}
