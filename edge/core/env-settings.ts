import { parseAmount, type Cents } from '../../shared/money.js';
import { checkCurrency } from '../../shared/validation.js';
import type { GatewayTimings } from './mypos/gateway.js';
import type { FieldOrder } from './mypos/methods.js';
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

export function fieldOrder(raw: string | undefined): FieldOrder {
  if (raw === undefined || raw === '' || raw === 'reference') return 'reference';
  if (raw === 'key_index_first') return 'key_index_first';
  throw new ConfigError('MYPOS_FIELD_ORDER must be "reference" or "key_index_first"');
}

export function amountSetting(env: Env, name: string, fallback: Cents): Cents {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = parseAmount(raw, name);
  if (!parsed.ok) throw new ConfigError(parsed.error.message);
  return parsed.value;
}

export function adminToken(env: Env, live: boolean): string | undefined {
  const token = env.EDGE_ADMIN_TOKEN;
  if (token !== undefined && token !== '') {
    if (token.length < 16) throw new ConfigError('EDGE_ADMIN_TOKEN must be at least 16 characters');
    return token;
  }
  if (live) throw new ConfigError('EDGE_ADMIN_TOKEN is required when MYPOS_ENDPOINT is set (the admin credential)');
  return undefined;
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
  return {
    name,
    currency: currency.value,
    refundLimitCents: amountSetting(env, 'EDGE_REFUND_LIMIT', 10_000),
    deviceRefundDayLimitCents: amountSetting(env, 'EDGE_DEVICE_REFUND_DAY_LIMIT', 30_000),
  };
}
