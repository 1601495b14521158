import type { CheckCode, CheckResult, DoctorDiagnosis } from '../../../../shared/doctor.js';

// The myPOS doctor's words (the Terminals screen, admins only): the edge answers codes and data
// (shared/doctor.ts), the till words them, in every language. Kept out of en.ts and bg.ts so they
// load with the Terminals screen, not with the till's first load (English is in the first load).
// A new check or diagnosis code without words in every language fails the typecheck.

/** A check in words: its result and data (a host, a cause, an offset, a certificate, a URL). */
type CheckWords = (result: CheckResult, data: Readonly<Record<string, string | number>>) => string;
/** A diagnosis in words: the terminal, the endpoint's host and the detail. */
type DiagnosisWords = (tid: string, host: string, detail: Readonly<Record<string, string | undefined>>) => string;

const en = {
  title: 'Check the connection',
  terminal: 'Terminal',
  run: 'Check',
  busy: 'Checking… up to 10 calls to myPOS',
  noCloud: 'No myPOS cloud terminal to check yet.',
  ok: (tid: string) => `myPOS accepts the calls on ${tid}: card payments work with the settings found, saved for every till.`,
  diagnoses: {
    unreachable: (_tid, host, d) => `Cannot reach ${host} (${d.cause ?? '?'}). Check MYPOS_ENDPOINT, DNS, the firewall and TLS.`,
    wrong_endpoint: (_tid, host, d) => `${host} answers${d.httpStatus ? ` (HTTP ${d.httpStatus})` : ''}, but not as myPOS. Check MYPOS_ENDPOINT.`,
    soap_action_refused: () => 'myPOS refused every SOAPAction tried: set MYPOS_SOAP_ACTION as its WSDL says ({method} for the method).',
    answer_not_verified: () => "myPOS's answers do not verify with MYPOS_CERT_FILE: ask myPOS for their current certificate.",
    login_refused: (_tid, _host, d) => `Login refused (40): check MYPOS_LOGIN, and that myPOS installed your certificate for key_index ${d.keyIndex ?? '1'}.`,
    signature_refused: (_tid, _host, d) => `Signature refused in both orders (status ${d.status ?? '?'}): did myPOS install your certificate for key_index ${d.keyIndex ?? '1'}? MYPOS_PRIVATE_KEY_FILE must be its key.`,
    request_refused: (_tid, _host, d) => `myPOS refused the request (status ${d.status ?? d.rule ?? '?'}): check MYPOS_VERSION and MYPOS_WIRE_ORDER; send the table below to myPOS support.`,
    terminal_not_subscribed: (tid, _host, d) =>
      d.status === '7'
        ? `The calls work and the settings are saved; terminal ${tid} still waits for its code: type the code shown in the list below on the terminal, then check again.`
        : `The calls work and the settings are saved, but terminal ${tid} is not connected to the till (status ${`${d.status ?? '?'} ${d.statusName ?? ''}`.trim()}): connect it above, type the code on it, check again.`,
    terminal_offline: (tid) => `The calls work and the settings are saved, but terminal ${tid} is offline (42): switch it on and connect it.`,
    mypos_error: (_tid, _host, d) => `myPOS answered with an error every time (${d.status ? `status ${d.status} ${d.statusName ?? ''}`.trim() : (d.cause ?? '?')}). Try later; if it stays, send the table below to myPOS support.`,
    budget_spent: () => 'Ten calls did not settle it: send the table below to myPOS support.',
  } satisfies Record<DoctorDiagnosis, DiagnosisWords> as Record<DoctorDiagnosis, DiagnosisWords>,
  checks: {
    reach: (result, d) => (result === 'fail' ? `Cannot reach ${d.host}: ${d.cause}` : `${d.host} answers`),
    clock: (result, d) => `Clock ${result === 'ok' ? 'within ' : ''}${(Math.abs(Number(d.offsetMs)) / 1000).toFixed(1)} s ${result === 'ok' ? 'of' : 'off'} myPOS's${result === 'ok' ? '' : ': set it (NTP)'}`,
    certificate: (result, d) =>
      `${d.certificate === 'mypos' ? 'myPOS certificate' : 'Our certificate'} ${result === 'fail' ? 'expired on' : 'valid until'} ${String(d.notAfter).slice(0, 10)}${result === 'fail' ? '' : ` (${d.daysLeft} days)`}${result === 'ok' ? '' : ': renew it with myPOS'}`,
    wsdl: (result, d) => (result === 'ok' ? `WSDL read (${d.operations} operations): SOAPActions and order from it` : 'WSDL not read: the likely SOAPActions are tried instead'),
  } satisfies Record<CheckCode, CheckWords> as Record<CheckCode, CheckWords>,
  results: { ok: 'OK', warn: 'Warning', fail: 'Failed' } satisfies Record<CheckResult, string>,
  tries: 'What was tried',
  triesNote: 'Each call asks about a made-up payment: an answer such as “status 4” (payment not known) means myPOS accepted the call itself.',
  columns: { soapAction: 'SOAPAction', signingOrder: 'Signing order', answer: 'Answer' },
  answer: (status: string, name: string, verifiedAs: string) => `status ${status} ${name}${verifiedAs ? `, answer verified (${verifiedAs})` : ''}`,
  /** Why a try had no answer (the edge's error kinds); another shows as its code. */
  outcomes: {
    soap_fault: 'SOAP fault',
    http_status: 'HTTP error',
    bad_signature: 'does not verify with the myPOS certificate',
    echo_mismatch: 'does not echo what was sent',
    transport: 'no connection',
    timeout: 'no answer in time',
    bad_xml: 'not readable',
    too_large: 'too large',
  } as Record<string, string>,
  using: 'Now used',
  parts: { soapAction: 'SOAPAction', signingOrder: 'Signing order', answerOrder: 'Answer order', version: 'Version' },
  sources: { documents: 'from the documents', learned: 'learned', environment: 'MYPOS_* setting', wsdl: 'from the WSDL' } as Record<string, string>,
  overridden: (names: string) => `${names} in the environment differs from what was found: the environment wins.`,
};

export type DoctorWords = typeof en;

const bg: DoctorWords = {
  title: 'Проверка на връзката',
  terminal: 'Терминал',
  run: 'Проверка',
  busy: 'Проверява се… до 10 заявки към myPOS',
  noCloud: 'Още няма облачен терминал на myPOS за проверка.',
  ok: (tid: string) => `myPOS приема заявките за ${tid}: плащанията с карта работят с откритите настройки, запазени за всички каси.`,
  diagnoses: {
    unreachable: (_tid, host, d) => `Няма връзка с ${host} (${d.cause ?? '?'}). Проверете MYPOS_ENDPOINT, DNS, защитната стена и TLS.`,
    wrong_endpoint: (_tid, host, d) => `${host} отговаря${d.httpStatus ? ` (HTTP ${d.httpStatus})` : ''}, но не като myPOS. Проверете MYPOS_ENDPOINT.`,
    soap_action_refused: () => 'myPOS отказа всеки опитан SOAPAction: задайте MYPOS_SOAP_ACTION според неговия WSDL ({method} на мястото на метода).',
    answer_not_verified: () => 'Отговорите на myPOS не се потвърждават с MYPOS_CERT_FILE: поискайте от myPOS текущия им сертификат.',
    login_refused: (_tid, _host, d) => `Входът е отказан (40): проверете MYPOS_LOGIN и дали myPOS са инсталирали вашия сертификат за key_index ${d.keyIndex ?? '1'}.`,
    signature_refused: (_tid, _host, d) => `Подписът е отказан и при двата реда (статус ${d.status ?? '?'}): инсталирали ли са myPOS вашия сертификат за key_index ${d.keyIndex ?? '1'}? MYPOS_PRIVATE_KEY_FILE трябва да е неговият ключ.`,
    request_refused: (_tid, _host, d) => `myPOS отказа заявката (статус ${d.status ?? d.rule ?? '?'}): проверете MYPOS_VERSION и MYPOS_WIRE_ORDER; изпратете таблицата по-долу на поддръжката на myPOS.`,
    terminal_not_subscribed: (tid, _host, d) =>
      d.status === '7'
        ? `Заявките работят и настройките са запазени; терминал ${tid} все още чака кода си: въведете на терминала кода от списъка по-долу и проверете отново.`
        : `Заявките работят и настройките са запазени, но терминал ${tid} не е свързан с касата (статус ${`${d.status ?? '?'} ${d.statusName ?? ''}`.trim()}): свържете го по-горе, въведете кода на него и проверете отново.`,
    terminal_offline: (tid) => `Заявките работят и настройките са запазени, но терминал ${tid} е офлайн (42): включете го и го свържете към мрежата.`,
    mypos_error: (_tid, _host, d) => `myPOS отговори с грешка при всеки опит (${d.status ? `статус ${d.status} ${d.statusName ?? ''}`.trim() : (d.cause ?? '?')}). Опитайте по-късно; ако продължава, изпратете таблицата по-долу на поддръжката на myPOS.`,
    budget_spent: () => 'Десет заявки не стигнаха до отговор: изпратете таблицата по-долу на поддръжката на myPOS.',
  },
  checks: {
    reach: (result, d) => (result === 'fail' ? `Няма връзка с ${d.host}: ${d.cause}` : `${d.host} отговаря`),
    clock: (result, d) => `Часовникът ${result === 'ok' ? 'е в рамките на' : 'се разминава с'} ${(Math.abs(Number(d.offsetMs)) / 1000).toFixed(1).replace('.', ',')} с от този на myPOS${result === 'ok' ? '' : ': сверете го (NTP)'}`,
    certificate: (result, d) =>
      `${d.certificate === 'mypos' ? 'Сертификатът на myPOS' : 'Нашият сертификат'} ${result === 'fail' ? 'е изтекъл на' : 'е валиден до'} ${String(d.notAfter).slice(0, 10)}${result === 'fail' ? '' : ` (${d.daysLeft} дни)`}${result === 'ok' ? '' : ': подновете го при myPOS'}`,
    wsdl: (result, d) => (result === 'ok' ? `WSDL е прочетен (${d.operations} операции): SOAPAction и редът на полетата са от него` : 'WSDL не е прочетен: вместо това се опитват възможните SOAPAction'),
  },
  results: { ok: 'ОК', warn: 'Внимание', fail: 'Грешка' } satisfies Record<CheckResult, string>,
  tries: 'Какво е опитано',
  triesNote: 'Всяка заявка пита за измислено плащане: отговор като „статус 4“ (непознато плащане) означава, че myPOS е приел самата заявка.',
  columns: { soapAction: 'SOAPAction', signingOrder: 'Ред при подписване', answer: 'Отговор' },
  answer: (status: string, name: string, verifiedAs: string) => `статус ${status} ${name}${verifiedAs ? `, отговорът е потвърден (${verifiedAs})` : ''}`,
  outcomes: {
    soap_fault: 'SOAP грешка',
    http_status: 'HTTP грешка',
    bad_signature: 'не се потвърждава със сертификата на myPOS',
    echo_mismatch: 'не връща изпратеното',
    transport: 'няма връзка',
    timeout: 'няма отговор навреме',
    bad_xml: 'нечетим отговор',
    too_large: 'твърде голям отговор',
  },
  using: 'Използва се сега',
  parts: { soapAction: 'SOAPAction', signingOrder: 'Ред при подписване', answerOrder: 'Ред в отговора', version: 'Версия' },
  sources: { documents: 'по документацията', learned: 'научено', environment: 'настройка MYPOS_*', wsdl: 'от WSDL' },
  overridden: (names: string) => `${names} в средата се различава от откритото: важи настройката от средата.`,
};

/** By language (the Terminals screen indexes it with the till's language: a language without words fails svelte-check). */
export const doctorWords: Readonly<{ en: DoctorWords; bg: DoctorWords }> = { en, bg };
