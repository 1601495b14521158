// The setup checklist's words (the owner's first run, admins only), in every language. Kept out of
// en.ts and bg.ts so they load with the Setup and Settings screens, not with the till's first load
// (as messages/doctor.ts). A missing word fails the typecheck.

const en = {
  title: 'Set up the shop',
  intro: 'A few steps before the first sale. Each one is marked done by itself once the edge has it.',
  progress: (done: number, total: number) => `${done} of ${total} done`,
  done: 'Done',
  todo: 'To do',
  unknown: 'Not known yet',
  shop: 'Shop name, address and currency',
  shopHint: 'On every receipt and report, for every till.',
  terminal: 'Connect a terminal',
  terminalHint: 'Done when a terminal is ready to take payments.',
  products: 'Add products',
  productsHint: 'Done when the catalogue has a product. Add them one by one, or import a CSV file.',
  till: 'Pair a till',
  tillHint: 'Done when a till device is paired: make a code for the role Till and type it on the tablet or phone.',
  allDone: 'Everything is set up.',
  startSelling: 'Start selling',
  dismiss: 'Hide the checklist',
  entry: 'Setup checklist',
  entryHint: (done: number, total: number) => `${done} of ${total} steps done.`,
  openEntry: 'Open the checklist',
};

export type SetupWords = typeof en;

const bg: SetupWords = {
  title: 'Настройка на магазина',
  intro: 'Няколко стъпки преди първата продажба. Всяка се отбелязва сама, щом сървърът я има.',
  progress: (done: number, total: number) => `${done} от ${total} готови`,
  done: 'Готово',
  todo: 'Предстои',
  unknown: 'Още не е известно',
  shop: 'Име, адрес и валута на магазина',
  shopHint: 'На всяка бележка и отчет, за всяка каса.',
  terminal: 'Свържете терминал',
  terminalHint: 'Готово, когато терминал е готов да приема плащания.',
  products: 'Добавете продукти',
  productsHint: 'Готово, когато каталогът има продукт. Добавете ги един по един или внесете CSV файл.',
  till: 'Сдвоете каса',
  tillHint: 'Готово, когато е сдвоено устройство каса: създайте код за роля Каса и го въведете на таблета или телефона.',
  allDone: 'Всичко е настроено.',
  startSelling: 'Към продажбите',
  dismiss: 'Скриване на списъка',
  entry: 'Списък за настройка',
  entryHint: (done: number, total: number) => `${done} от ${total} стъпки са готови.`,
  openEntry: 'Отваряне на списъка',
};

export const setupWords: Readonly<{ en: SetupWords; bg: SetupWords }> = { en, bg };
