import { signIpc, SIGNATURE_FIELD, type IpcFields } from '../../core/ipc/signing.js';
import { BodyTooLargeError, readTextCapped } from '../../core/mypos/transport.js';
import { escapeXmlText } from '../../core/mypos/xml.js';

// The IPC wire as the official SDK (developermypos/myPOS-Checkout-SDK-PHP) and the Checkout API
// v1.4 handbook describe it: requests are form POSTs (application/x-www-form-urlencoded), field
// names matched without regard to case (the handbook writes `walletnumber`, `CustomerEmail`; the SDK
// `WalletNumber`, `customeremail`); answers are JSON or XML by `OutputFormat` (the handbook's
// default is xml, the SDK always sends json), signed over every value in order with nested objects
// flattened (the SDK's Response::_getSignData with Helper::getValuesFromMultiDimensionalArray),
// the outer Signature left out.

/** Defines.php's statuses the simulator uses (Appendix I of the handbook for the names). */
export const IPC_STATUS = {
  success: '0',
  missingParams: '1',
  signatureFailed: '2',
  invalidSid: '4',
  invalidParams: '5',
  authFail: '8',
  wrongAmount: '9',
  unsupportedCall: '10',
  notPermitted: '14',
  duplicate: '20',
} as const;

export interface IpcError {
  readonly status: string;
  readonly message: string;
}

export const ipcError = (status: string, message: string): IpcError => ({ status, message });

const MAX_FORM_BYTES = 256 * 1024;

/** A received form: the fields in the order sent (the order is signed), looked up without case. */
export class IpcForm {
  private readonly byName = new Map<string, string>();

  constructor(readonly fields: IpcFields) {
    for (const [name, value] of fields) if (!this.byName.has(name.toLowerCase())) this.byName.set(name.toLowerCase(), value);
  }

  get(name: string): string | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The value, or '' when absent. */
  text(name: string): string {
    return this.get(name) ?? '';
  }
}

/** Reads a form body; undefined when it is too large or not text. */
export async function readForm(request: Request): Promise<IpcForm | undefined> {
  try {
    const text = await readTextCapped(request.body, MAX_FORM_BYTES);
    return new IpcForm([...new URLSearchParams(text).entries()]);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return undefined;
    return undefined;
  }
}

/**
 * PHP's htmlspecialchars_decode(ENT_QUOTES). The SDK html-escapes every value it posts
 * (Helper::escape) but signs the unescaped values, so a server-to-server request with `&` in a
 * value arrives as `&amp;` and verifies only once unescaped.
 */
export function htmlUnescape(value: string): string {
  return value.replace(/&(amp|quot|#0?39|apos|lt|gt);/g, (_, entity: string) => {
    switch (entity) {
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      default:
        return "'";
    }
  });
}

/** "23.45", "23.5", "50": the SDK's Helper::isValidAmount without the sign; cents, or undefined. */
export function parseIpcAmount(text: string): number | undefined {
  const match = /^([0-9]{1,10})(?:\.([0-9]{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** An answer's entry: a value, or a nested object (IPCGetTxnStatus's OrderStatus). */
export type AnswerEntry = readonly [name: string, value: string | readonly AnswerEntry[]];

/** The values in order, nested ones flattened under dotted names (so only the outer Signature is left out). */
export function flattenAnswer(entries: readonly AnswerEntry[], prefix = ''): IpcFields {
  return entries.flatMap(([name, value]): IpcFields => (typeof value === 'string' ? [[prefix + name, value]] : flattenAnswer(value, `${prefix}${name}.`)));
}

/** The entries with the outer Signature appended, made with the simulator's key. */
export async function signAnswer(entries: readonly AnswerEntry[], key: CryptoKey): Promise<AnswerEntry[]> {
  const signed = await signIpc(flattenAnswer(entries), key);
  return [...entries, [SIGNATURE_FIELD, signed.at(-1)?.[1] ?? '']];
}

/**
 * Signed with the simulator's key over other values than the ones sent: a signature that is well
 * formed and made with the right key, yet does not verify (the "wrong signature" switch).
 */
export async function wronglySigned(fields: IpcFields, key: CryptoKey): Promise<IpcFields> {
  const other = await signIpc([...fields, ['Tampered', '1']], key);
  return [...fields, [SIGNATURE_FIELD, other.at(-1)?.[1] ?? '']];
}

export type OutputFormat = 'json' | 'xml';

export function outputFormat(form: IpcForm): OutputFormat {
  return form.text('OutputFormat').toLowerCase() === 'json' ? 'json' : 'xml';
}

function jsonOf(entries: readonly AnswerEntry[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, value] of entries) object[name] = typeof value === 'string' ? value : jsonOf(value);
  return object;
}

function xmlOf(entries: readonly AnswerEntry[]): string {
  return entries.map(([name, value]) => `<${name}>${typeof value === 'string' ? escapeXmlText(value) : xmlOf(value)}</${name}>`).join('');
}

/** A signed answer in the asked format, HTTP 200 as myPOS answers every call it could read. */
export function answerResponse(entries: readonly AnswerEntry[], format: OutputFormat): Response {
  if (format === 'json') return new Response(JSON.stringify(jsonOf(entries)), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
  const xml = `<?xml version="1.0" encoding="utf-8"?>\n<IPC_response>${xmlOf(entries)}</IPC_response>`;
  return new Response(xml, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

/** Form-encodes fields in their order, as the notifications are posted. */
export function formBody(fields: IpcFields): string {
  return new URLSearchParams(fields.map(([name, value]) => [name, value])).toString();
}
