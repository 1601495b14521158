import type { PaymentState } from '../../../../shared/payments.js';
import type { PaymentReason } from '../../../../shared/reasons.js';

// The words of paying on the customer's own phone (myPOS Online Checkout: the QR code and the
// link), in every language. Kept out of en.ts and bg.ts so they load with the payment screen, not
// with the till's first load (as messages/doctor.ts). The sale screen's "Pay by QR / link" and the
// reasons of the online payments are in en.ts and bg.ts. A missing word fails the typecheck.

const en = {
  scan: 'Scan to pay',
  qr: 'QR code of the payment link',
  link: 'Payment link',
  making: 'Making the payment link…',
  /** While nobody has paid, or while the customer pays (the states after are the payment screen's own). */
  states: {
    accepted: 'Waiting for the customer to pay',
    sent: 'The customer is paying',
    pin: 'The customer confirms with their bank',
  } as Partial<Record<PaymentState, string>>,
  expiresIn: (clock: string) => `The link expires in ${clock}`,
  expired: 'The link has expired: checking with myPOS…',
  send: 'Send link',
  copied: 'Link copied.',
  copyFailed: 'Select the link above and copy it.',
  /** The headline of a link that ended unpaid, by its reason (else the payment screen's own). */
  ended: { checkout_expired: 'Link expired', checkout_cancelled: 'Not paid' } as Partial<Record<PaymentReason, string>>,
  cancel: 'Cancel',
  cancelHint: 'Cancel stops the link: it can no longer be paid.',
  paying: 'The customer has the payment page open: wait for the outcome.',
  via: 'QR / link payment',
  again: 'New QR / link',
};

export type LinkWords = typeof en;

const bg: LinkWords = {
  scan: 'Сканирайте, за да платите',
  qr: 'QR код на линка за плащане',
  link: 'Линк за плащане',
  making: 'Създаване на линка за плащане…',
  states: {
    accepted: 'Чакаме клиента да плати',
    sent: 'Клиентът плаща',
    pin: 'Клиентът потвърждава с банката си',
  },
  expiresIn: (clock: string) => `Линкът изтича след ${clock}`,
  expired: 'Линкът изтече: проверяваме с myPOS…',
  send: 'Изпращане на линка',
  copied: 'Линкът е копиран.',
  copyFailed: 'Маркирайте линка отгоре и го копирайте.',
  ended: { checkout_expired: 'Линкът изтече', checkout_cancelled: 'Не е платено' },
  cancel: 'Отказ',
  cancelHint: 'Отказът спира линка: по него вече не може да се плати.',
  paying: 'Клиентът е на страницата за плащане: изчакайте резултата.',
  via: 'Плащане с QR / линк',
  again: 'Нов QR / линк',
};

export const linkWords: Readonly<{ en: LinkWords; bg: LinkWords }> = { en, bg };
