import type { Cents } from '../../../shared/money.js';
import { accept, refuse, type Checked } from '../../../shared/result.js';

// The values every IPC call carries, and their rules, once (ipc/requests.ts builds with them,
// ipc/answers.ts and ipc/notify.ts read with them). From the SDK (developermypos/
// myPOS-Checkout-SDK-PHP): Config.php `validate()` (SID, WalletNumber and KeyIndex numeric),
// Config.php `$lang = 'en'`, Defines.php (the Status codes, in ipc/answers.ts), and the IPC v1.4
// manual's standard properties (WalletNumber N(11), IPCLanguage A(2); OrderID "up to 80 characters"
// in the current method table, 255 in older ones: 80 is kept).

export const IPC_VERSION = '1.4';
/** `Source`: who made the request (the SDK sends "SDK_PHP_<version>"). */
export const IPC_SOURCE = 'mypos-till';
export const IPC_OUTPUT_FORMAT = 'json';

const ORDER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;
const TRNREF = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
// An IPC amount as myPOS writes it ("Double"): "50", "50.0" or "23.45"; the SDK compares them as numbers.
const IPC_AMOUNT = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/;

export interface IpcMerchant {
  /** SID: the online store's id, digits. */
  readonly sid: string;
  /** WalletNumber: the myPOS client number, 11 digits. */
  readonly walletNumber: string;
  /** KeyIndex: which of our keys signs. */
  readonly keyIndex: string;
  /** IPCLanguage of the payment page, ISO 639-1 (the SDK's default "en"). */
  readonly language?: string | undefined;
}

type Field = readonly [string, string];

/** The standard properties after IPCmethod, in the SDK's order, or the first one that is wrong. */
export function checkIpcMerchant(merchant: IpcMerchant): Checked<Field[]> {
  if (!/^[0-9]{1,15}$/.test(merchant.sid)) return refuse('SID', 'digits', 'SID must be 1 to 15 digits');
  if (!/^[0-9]{11}$/.test(merchant.walletNumber)) return refuse('WalletNumber', 'digits', 'WalletNumber must be 11 digits');
  if (!/^[0-9]{1,4}$/.test(merchant.keyIndex)) return refuse('KeyIndex', 'digits', 'KeyIndex must be 1 to 4 digits');
  const language = merchant.language ?? 'en';
  if (!/^[A-Za-z]{2}$/.test(language)) return refuse('IPCLanguage', 'format', 'IPCLanguage must be a 2-letter ISO 639-1 code, like en');
  return accept([
    ['IPCVersion', IPC_VERSION],
    ['IPCLanguage', language],
    ['SID', merchant.sid],
    ['WalletNumber', merchant.walletNumber],
    ['KeyIndex', merchant.keyIndex],
    ['Source', IPC_SOURCE],
  ]);
}

/** Our RUIDs fit; no HTML-special character, no space (it is posted server to server too). */
export function checkOrderId(value: string, field = 'OrderID'): Checked<string> {
  return ORDER_ID.test(value) ? accept(value) : refuse(field, 'charset', `${field} must be 1 to 80 letters, digits, dots, colons, dashes or underscores, starting with a letter or digit`);
}

export function checkTrnref(value: string, field = 'IPC_Trnref'): Checked<string> {
  return TRNREF.test(value) ? accept(value) : refuse(field, 'charset', `${field} must be 1 to 64 letters, digits or . _ : / -`);
}

/** URL_OK, URL_Cancel, URL_Notify (Purchase.php validate: Helper::isValidURL). */
export function checkIpcUrl(value: string, field: string, httpsOnly: boolean): Checked<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse(field, 'format', `${field} must be an absolute URL`);
  }
  if (/[\s\u0000-\u001F\u007F]/.test(value) || value.length > 2000) return refuse(field, 'format', `${field} must be a URL of at most 2000 characters without spaces`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(field, 'format', `${field} must be an http or https URL`);
  if (url.username || url.password) return refuse(field, 'format', `${field} must not carry a user name or password`);
  // The manual: "URL_Notify should be SSL-enabled address only". A loopback host is let through
  // for the simulator and local tests.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (httpsOnly && url.protocol !== 'https:' && !loopback) return refuse(field, 'format', `${field} must be an https URL (myPOS refuses others)`);
  return accept(value);
}

/** "23.45", "50.0" or "50" (as myPOS echoes amounts) -> cents; undefined when it is not one. */
export function parseIpcAmount(text: string): Cents | undefined {
  const match = IPC_AMOUNT.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}
