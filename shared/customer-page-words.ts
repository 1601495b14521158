// The words of the payment link's page on the customer's own phone (the edge's /c/:token). That
// phone has no till to word things, so its few words live here, beside the till's, in the same
// languages; the page picks the phone's language (Accept-Language), English otherwise. The same
// choice is the language of myPOS's payment page (IPCLanguage).

export const CUSTOMER_LANGUAGES = ['en', 'bg'] as const;
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

const en = {
  title: 'Payment',
  pay: 'Pay by card',
  /** While the signed form goes to myPOS (the script posts it at once; the button is for a browser without scripts). */
  toMypos: 'Continue to myPOS',
  secure: 'You pay on myPOS\'s secure page.',
  paid: 'Paid. Thank you!',
  checking: 'Checking the payment…',
  notPaid: 'Not paid. Nothing was charged.',
  closed: 'This payment link is no longer valid. Ask the shop for a new one.',
};

export type CustomerPageWords = typeof en;

const bg: CustomerPageWords = {
  title: 'Плащане',
  pay: 'Плащане с карта',
  toMypos: 'Към myPOS',
  secure: 'Плащате на защитената страница на myPOS.',
  paid: 'Платено. Благодарим!',
  checking: 'Проверяваме плащането…',
  notPaid: 'Не е платено. Нищо не е таксувано.',
  closed: 'Този линк за плащане вече не е валиден. Поискайте нов от магазина.',
};

export const customerPageWords: Readonly<Record<CustomerLanguage, CustomerPageWords>> = { en, bg };

/** The first language of an Accept-Language header the page speaks (by preference order), else English. */
export function customerLanguage(acceptLanguage: string | undefined): CustomerLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: tag.trim().slice(0, 2).toLowerCase(), weight: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.weight > 0 && Number.isFinite(entry.weight))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  const found = ranked.find((entry): entry is typeof entry & { language: CustomerLanguage } => (CUSTOMER_LANGUAGES as readonly string[]).includes(entry.language));
  return found?.language ?? 'en';
}
