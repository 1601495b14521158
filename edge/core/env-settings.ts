import { parseAmount, type Cents } from '../../shared/money.js';
import { checkCurrency, checkPlainText } from '../../shared/validation.js';
import { DEFAULT_RECEIPTS, type ReceiptMode, type ReceiptOptions } from './lan/iqom-xml.js';
import type { GatewayTimings } from './mypos/gateway.js';
import type { FieldOrder } from './mypos/methods.js';
import { ANSWER_ORDERS, FIELD_ORDERS, soapActionsFromTemplate, type AnswerOrder } from './mypos/profile.js';
import type { ProfileOverrides } from './mypos/profile-sources.js';
import { DEFAULT_MACHINE_TIMINGS, type MachineTimings } from './payments/machine.js';

// Settings read from environment variables (Node's process.env, a Worker's bindings) that both
// runtimes share. A bad value stops start-up with a message naming the variable; a secret's
// content never appears in a message.

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

export function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min) throw new ConfigError(`${name} must be a whole number of at least ${min} (got "${raw}")`);
  return Number(raw);
}

function fieldOrder(env: Env, name: string): FieldOrder | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if ((FIELD_ORDERS as readonly string[]).includes(raw)) return raw as FieldOrder;
  throw new ConfigError(`${name} must be "documented" or "key_index_first" (got "${raw}")`);
}

/**
 * The protocol parts an operator sets by hand (README "Going live"); unset parts come from the
 * WSDL, the doctor's learned profile or the documents (mypos/profile-sources.ts).
 */
export function profileOverrides(env: Env): ProfileOverrides {
  if (env.MYPOS_FIELD_ORDER !== undefined && env.MYPOS_FIELD_ORDER !== '') {
    throw new ConfigError('MYPOS_FIELD_ORDER is replaced by MYPOS_WIRE_ORDER and MYPOS_SIGNING_ORDER (separate settings); `npm run mypos:doctor` finds the signing order myPOS accepts');
  }
  const wireOrder = fieldOrder(env, 'MYPOS_WIRE_ORDER');
  const signingOrder = fieldOrder(env, 'MYPOS_SIGNING_ORDER');
  const rawAnswer = env.MYPOS_ANSWER_ORDER;
  if (rawAnswer && !(ANSWER_ORDERS as readonly string[]).includes(rawAnswer)) throw new ConfigError(`MYPOS_ANSWER_ORDER must be "as_received" or "logical" (got "${rawAnswer}")`);
  const action = env.MYPOS_SOAP_ACTION;
  if (action && !action.includes('{method}')) throw new ConfigError('MYPOS_SOAP_ACTION must contain {method}, e.g. urnIPayService/IPayService/{method}');
  const version = env.MYPOS_VERSION;
  if (version !== undefined && version !== '' && !/^[0-9]+(\.[0-9]+)*$/.test(version)) throw new ConfigError(`MYPOS_VERSION must look like 3.0 (got "${version}")`);
  return {
    ...(version ? { version } : {}),
    ...(wireOrder ? { wireOrder } : {}),
    ...(signingOrder ? { signingOrder } : {}),
    ...(action ? { soapActions: soapActionsFromTemplate(action) } : {}),
    ...(rawAnswer ? { answerOrder: rawAnswer as AnswerOrder } : {}),
  };
}

/** The partner login goes into every signed string: ";" (the separator) and control characters are refused. */
export function myposLogin(raw: string | undefined): string {
  if (!raw) throw new ConfigError('MYPOS_LOGIN is required when MYPOS_ENDPOINT is set');
  if (raw.includes(';')) throw new ConfigError('MYPOS_LOGIN must not contain ";" (it separates the signed values)');
  if (/[\u0000-\u001F]/.test(raw)) throw new ConfigError('MYPOS_LOGIN must not contain control characters');
  return raw;
}

export function amountSetting(env: Env, name: string, fallback: Cents): Cents {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = parseAmount(raw, name);
  if (!parsed.ok) throw new ConfigError(parsed.error.message);
  return parsed.value;
}

/** A live edge's admin token: at least this long (e.g. `openssl rand -base64 32`: 44 characters). */
export const LIVE_ADMIN_TOKEN_MIN_LENGTH = 32;
const DEMO_ADMIN_TOKEN_MIN_LENGTH = 16;

export function adminToken(env: Env, live: boolean): string | undefined {
  const token = env.EDGE_ADMIN_TOKEN;
  if (token !== undefined && token !== '') {
    if (live && token.length < LIVE_ADMIN_TOKEN_MIN_LENGTH) {
      throw new ConfigError(`EDGE_ADMIN_TOKEN must be at least ${LIVE_ADMIN_TOKEN_MIN_LENGTH} characters with MYPOS_ENDPOINT set (live mode; it is ${token.length}): make one with \`openssl rand -base64 32\``);
    }
    if (token.length < DEMO_ADMIN_TOKEN_MIN_LENGTH) throw new ConfigError(`EDGE_ADMIN_TOKEN must be at least ${DEMO_ADMIN_TOKEN_MIN_LENGTH} characters (${LIVE_ADMIN_TOKEN_MIN_LENGTH} in live mode)`);
    return token;
  }
  if (live) throw new ConfigError('EDGE_ADMIN_TOKEN is required when MYPOS_ENDPOINT is set (the admin credential)');
  return undefined;
}

/** The audit key (EDGE_AUDIT_KEY, or the Node edge's data/audit-key file): at least this long. */
export const AUDIT_KEY_MIN_LENGTH = 32;

/**
 * EDGE_AUDIT_KEY: the secret each audit line's HMAC is made with, kept apart from the database (a
 * secret on Workers; on Node, unset means the audit-key file in the data folder).
 */
export function auditKeySetting(env: Env): string | undefined {
  const key = env.EDGE_AUDIT_KEY;
  if (key === undefined || key === '') return undefined;
  if (key.length < AUDIT_KEY_MIN_LENGTH) throw new ConfigError(`EDGE_AUDIT_KEY must be at least ${AUDIT_KEY_MIN_LENGTH} characters (it is ${key.length}): make one with \`openssl rand -base64 32\``);
  return key;
}

export function gatewayTimings(env: Env): GatewayTimings {
  return {
    requestTimeoutMs: integer(env, 'MYPOS_REQUEST_TIMEOUT_MS', 30_000, 1),
    retryDelayMs: integer(env, 'MYPOS_RETRY_DELAY_MS', 5_000),
    maxRetries: integer(env, 'MYPOS_RETRIES', 3),
    rateLimit: integer(env, 'MYPOS_RATE_LIMIT', 1000, 1),
    rateWindowMs: 60_000,
  };
}

export function machineTimings(env: Env): MachineTimings {
  const d = DEFAULT_MACHINE_TIMINGS;
  return {
    statusFirstMs: integer(env, 'PAYMENT_STATUS_FIRST_MS', d.statusFirstMs),
    statusPollMs: integer(env, 'PAYMENT_STATUS_POLL_MS', d.statusPollMs),
    pinFirstMs: integer(env, 'PAYMENT_PIN_FIRST_MS', d.pinFirstMs),
    pinPollMs: integer(env, 'PAYMENT_PIN_POLL_MS', d.pinPollMs, 1),
    pinWindowMs: pinWindow(env),
    unknownPollMs: integer(env, 'PAYMENT_UNKNOWN_POLL_MS', d.unknownPollMs, 1),
    unknownPollMaxMs: integer(env, 'PAYMENT_UNKNOWN_POLL_MAX_MS', d.unknownPollMaxMs, 1),
    slowAfterMs: integer(env, 'PAYMENT_SLOW_AFTER_MS', d.slowAfterMs),
  };
}

/**
 * PAYMENT_PIN_WINDOW_MS (100 s, the reference's "5 retries (100 seconds total)"). The older
 * PAYMENT_PIN_POLLS still works where the window is not set: that many times PAYMENT_PIN_POLL_MS,
 * or the 20 s it meant when unset, so a configuration that set it keeps its window.
 */
function pinWindow(env: Env): number {
  if ((env.PAYMENT_PIN_WINDOW_MS ?? '') !== '' || (env.PAYMENT_PIN_POLLS ?? '') === '') {
    return integer(env, 'PAYMENT_PIN_WINDOW_MS', DEFAULT_MACHINE_TIMINGS.pinWindowMs);
  }
  return integer(env, 'PAYMENT_PIN_POLLS', 5, 1) * integer(env, 'PAYMENT_PIN_POLL_MS', 20_000, 1);
}

/** The shop: its name and one currency, and what devices that are not admins may give back. */
export interface ShopSettings {
  /** EDGE_SHOP_NAME: heads the Z report and its CSV. */
  readonly name: string;
  /** EDGE_SHOP_CURRENCY: the catalogue's prices are in it (demo EUR). */
  readonly currency: string;
  /** EDGE_REFUND_LIMIT: per original sale, card refunds + cash refunds + voids together. */
  readonly refundLimitCents: Cents;
  /** EDGE_DEVICE_REFUND_DAY_LIMIT: per device per day (UTC), all give-backs together. */
  readonly deviceRefundDayLimitCents: Cents;
}

export function shopSettings(env: Env): ShopSettings {
  const currency = checkCurrency(env.EDGE_SHOP_CURRENCY ?? 'EUR', 'EDGE_SHOP_CURRENCY');
  if (!currency.ok) throw new ConfigError(currency.error.message);
  const name = (env.EDGE_SHOP_NAME ?? 'myPOS till').trim();
  if (name.length < 1 || name.length > 60) throw new ConfigError('EDGE_SHOP_NAME must be 1 to 60 characters');
  const plain = checkPlainText(name, 'EDGE_SHOP_NAME');
  if (!plain.ok) throw new ConfigError(plain.error.message);
  return {
    name,
    currency: currency.value,
    refundLimitCents: amountSetting(env, 'EDGE_REFUND_LIMIT', 10_000),
    deviceRefundDayLimitCents: amountSetting(env, 'EDGE_DEVICE_REFUND_DAY_LIMIT', 30_000),
  };
}

const RECEIPT_MODES: readonly ReceiptMode[] = ['ON', 'OFF', 'AFTER_CONFIRMATION'];

function receiptMode(env: Env, name: string, fallback: ReceiptMode): ReceiptMode {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(RECEIPT_MODES as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be ON, OFF or AFTER_CONFIRMATION (got "${raw}")`);
  return raw as ReceiptMode;
}

/** EDGE_LAN_MERCHANT_RECEIPT, EDGE_LAN_CUSTOMER_RECEIPT: which receipts a LAN terminal prints. */
export function lanReceipts(env: Env): ReceiptOptions {
  return {
    receipt: receiptMode(env, 'EDGE_LAN_MERCHANT_RECEIPT', DEFAULT_RECEIPTS.receipt),
    custrcpt: receiptMode(env, 'EDGE_LAN_CUSTOMER_RECEIPT', DEFAULT_RECEIPTS.custrcpt),
  };
}

/** EDGE_PUBLIC_URL: the origin tablets use (pairing links), never taken from a Host header. */
export function publicUrl(env: Env): string | undefined {
  const raw = env.EDGE_PUBLIC_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`EDGE_PUBLIC_URL must be a URL like https://till.shop.lan:8787 (got "${raw}")`);
  }
  if (url.protocol !== 'https:') throw new ConfigError(`EDGE_PUBLIC_URL must be an https URL: tablets need a secure context (got "${raw}"); see README "Shop network"`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`EDGE_PUBLIC_URL is an origin only, like https://till.shop.lan:8787, without a path (got "${raw}")`);
  }
  return url.origin;
}
