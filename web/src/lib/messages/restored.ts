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
  /** A sale's state in History and on its own screen. */
  notInBooks: 'Not in the books: check with myPOS',
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
  notInBooks: 'Не е в книгите: проверете в myPOS',
};

export const restoredWords: Readonly<{ en: RestoredWords; bg: RestoredWords }> = { en, bg };
