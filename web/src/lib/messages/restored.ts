// The words of the notice a till shows after the edge's books were restored from a backup and it
// sent its sales again (components/RestoredBooksNotice.svelte), in every language. Kept out of
// en.ts and bg.ts: they load with the notice, not with the till's first load. A missing word fails
// the typecheck.

const en = {
  title: 'The shop\'s books were restored from a backup',
  sent: (count: number) => (count === 1 ? 'This till sent 1 sale to the books again.' : `This till sent ${count} sales to the books again.`),
  unconfirmed: (count: number) =>
    count === 1
      ? 'myPOS did not confirm 1 card sale made on this till: it is not in the books. Check it against the myPOS statement:'
      : `myPOS did not confirm ${count} card sales made on this till: they are not in the books. Check them against the myPOS statement:`,
  dismiss: 'OK',
  renumbered: (count: number) =>
    count === 1
      ? 'A sale made meanwhile took the printed number of 1 sale sent again: it has a new number in the books.'
      : `A sale made meanwhile took the printed numbers of ${count} sales sent again: they have new numbers in the books.`,
  printedAs: (no: number) => `printed as No. ${no}`,
  shopWide: (count: number) =>
    count === 1
      ? 'Since the last day close, myPOS did not confirm 1 card sale a till made: it is not in this report. Check it against the myPOS statement:'
      : `Since the last day close, myPOS did not confirm ${count} card sales the tills made: they are not in this report. Check them against the myPOS statement:`,
  /** Why myPOS did not confirm a lost card payment (the edge's reason codes). */
  reasons: {
    declined: 'declined at myPOS',
    cancelled: 'cancelled at myPOS',
    not_found: 'not found at myPOS',
    pending: 'still pending at myPOS',
    no_answer: 'myPOS did not answer',
    amount_differs: 'another amount at myPOS',
  },
  /** A sale's state in History and on its own screen. */
  notInBooks: 'Not in the books: check with myPOS',
  notInBooksWhy:
    'The shop\'s books were restored from a backup older than this sale, and myPOS did not confirm its card payment, so it is not in the books and cannot be refunded here. Check the payment against the myPOS statement.',
};

export type RestoredWords = typeof en;

const bg: RestoredWords = {
  title: 'Книгите на магазина бяха възстановени от резервно копие',
  sent: (count: number) => (count === 1 ? 'Тази каса изпрати отново 1 продажба към книгите.' : `Тази каса изпрати отново ${count} продажби към книгите.`),
  unconfirmed: (count: number) =>
    count === 1
      ? 'myPOS не потвърди 1 продажба с карта от тази каса: тя не е в книгите. Проверете я в извлечението от myPOS:'
      : `myPOS не потвърди ${count} продажби с карта от тази каса: те не са в книгите. Проверете ги в извлечението от myPOS:`,
  dismiss: 'Разбрах',
  renumbered: (count: number) =>
    count === 1
      ? 'Продажба, направена междувременно, взе отпечатания номер на 1 изпратена отново продажба: тя има нов номер в книгите.'
      : `Продажби, направени междувременно, взеха отпечатаните номера на ${count} изпратени отново продажби: те имат нови номера в книгите.`,
  printedAs: (no: number) => `отпечатана като № ${no}`,
  shopWide: (count: number) =>
    count === 1
      ? 'След последното приключване на деня myPOS не потвърди 1 продажба с карта от касите: тя не е в този отчет. Проверете я в извлечението от myPOS:'
      : `След последното приключване на деня myPOS не потвърди ${count} продажби с карта от касите: те не са в този отчет. Проверете ги в извлечението от myPOS:`,
  reasons: {
    declined: 'отказана в myPOS',
    cancelled: 'отменена в myPOS',
    not_found: 'не е намерена в myPOS',
    pending: 'още се обработва в myPOS',
    no_answer: 'myPOS не отговори',
    amount_differs: 'друга сума в myPOS',
  },
  notInBooks: 'Не е в книгите: проверете в myPOS',
  notInBooksWhy:
    'Книгите на магазина бяха възстановени от резервно копие, по-старо от тази продажба, и myPOS не потвърди плащането с карта, затова тя не е в книгите и не може да бъде върната оттук. Проверете плащането в извлечението от myPOS.',
};

export const restoredWords: Readonly<{ en: RestoredWords; bg: RestoredWords }> = { en, bg };
