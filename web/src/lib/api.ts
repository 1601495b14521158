import type { CreatePaymentBody, CreatePreauthBody, CreateRefundBody, CreateTerminalBody, DayCloseBody, Product, ProductBody } from '../../../shared/api.js';
import type { SaleViewFields } from '../../../shared/sale-status.js';
import type { ZReport } from '../../../shared/z-report.js';
import type { Payment } from '../../../shared/payments.js';
import { markUnpaired } from './state/auth.svelte.js';

// The edge's API as the till calls it. A network failure is status 0: the caller decides whether
// the same request (same RUID) is sent again.

export interface ApiError {
  readonly code?: string;
  readonly field?: string;
  readonly rule?: string;
  readonly message: string;
  readonly inFlightRuid?: string;
  /** 403 admin_required: what this device may still give back (of the sale, or today). */
  readonly left?: string;
}

export type ApiResult<T> = { readonly ok: true; readonly status: number; readonly data: T } | { readonly ok: false; readonly status: number; readonly error: ApiError };

export interface Terminal {
  readonly tid: string;
  readonly currency: string;
  readonly state: 'pending_code' | 'active' | 'unsubscribing' | 'not_subscribed';
  readonly code?: string;
  readonly inFlightRuid?: string;
  /** cloud: the Remote API; lan: the iqom Payment Interface in the store. */
  readonly transport: 'cloud' | 'lan';
  /** What the till may offer on it (pre-authorisation only on LAN). */
  readonly operations: readonly string[];
}

async function request<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'network', message: 'network' } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, status: response.status, error: { code: 'bad_response', message: `HTTP ${response.status}` } };
  }
  if (response.ok) return { ok: true, status: response.status, data: json as T };
  if (response.status === 401) markUnpaired();
  const error = (json as { error?: ApiError }).error ?? { message: `HTTP ${response.status}` };
  return { ok: false, status: response.status, error };
}

export const api = {
  terminals: () => request<{ terminals: Terminal[] }>('GET', '/api/terminals'),
  subscribe: (body: CreateTerminalBody) => request<{ terminal: Terminal }>('POST', '/api/terminals', body),
  unsubscribe: (tid: string) => request<{ terminal: Terminal }>('DELETE', `/api/terminals/${encodeURIComponent(tid)}`),
  createPayment: (body: CreatePaymentBody) => request<{ payment: Payment }>('POST', '/api/payments', body),
  payment: (ruid: string) => request<{ payment: Payment }>('GET', `/api/payments/${encodeURIComponent(ruid)}`),
  cancel: (ruid: string) => request<{ payment: Payment }>('POST', `/api/payments/${encodeURIComponent(ruid)}/cancel`),
  pair: (code: string, name: string) => request<{ device: Device }>('POST', '/api/devices/pair', { code, name }),
  devices: () => request<{ devices: Device[] }>('GET', '/api/devices'),
  health: () => request<Health>('GET', '/healthz'),
  products: () => request<{ products: Product[]; currency: string }>('GET', '/api/products'),
  saveProduct: (id: string, body: ProductBody) => request<{ product: Product }>('PUT', `/api/products/${encodeURIComponent(id)}`, body),
  pairingCode: (role: 'till' | 'admin') => request<PairingCode>('POST', '/api/devices/pairing-codes', { role }),
  preauth: (body: CreatePreauthBody) => request<{ payment: Payment }>('POST', '/api/preauths', body),
  completePreauth: (preauthRuid: string, ruid: string, amount: string) => request<{ payment: Payment }>('POST', `/api/preauths/${encodeURIComponent(preauthRuid)}/completion`, { ruid, amount }),
  releasePreauth: (preauthRuid: string, ruid: string) => request<{ payment: Payment }>('POST', `/api/preauths/${encodeURIComponent(preauthRuid)}/release`, { ruid }),
  resolve: (ruid: string, state: 'approved' | 'declined') => request<{ payment: Payment }>('POST', `/api/payments/${encodeURIComponent(ruid)}/resolve`, { state }),
  refund: (body: CreateRefundBody) => request<{ payment: Payment }>('POST', '/api/refunds', body),
  sale: (id: string) => request<SaleView>('GET', `/api/sales/${encodeURIComponent(id)}`),
  /** What happened to each of these sales (at most 100), for History: the ones this device may see. */
  saleStatuses: (ids: readonly string[]) => request<unknown>('GET', `/api/sales?${new URLSearchParams({ ids: ids.join(',') }).toString()}`),
  cashRefund: (saleId: string, id: string, amount: string) => request<SaleView & { refund: CashRefund }>('POST', `/api/sales/${encodeURIComponent(saleId)}/cash-refunds`, { id, amount }),
  currentDay: (openingFloat: string, countedCash: string | undefined) =>
    request<{ report: ZReport }>('GET', `/api/day-closes/current?${new URLSearchParams({ openingFloat, ...(countedCash === undefined ? {} : { countedCash }) }).toString()}`),
  closeDay: (body: DayCloseBody) => request<{ close: DayClose }>('POST', '/api/day-closes', body),
  dayCloses: () => request<{ closes: DayClose[] }>('GET', '/api/day-closes'),
  revoke: (id: string) => request<{ device: Device }>('POST', `/api/devices/${encodeURIComponent(id)}/revoke`),
};

/** A sale as the edge's ledger answers it (GET /api/sales/:id): what happened to it and what is left. */
export interface SaleView extends SaleViewFields {
  readonly sale: { readonly id: string; readonly receiptNo: number; readonly currency: string };
  readonly cashRefunds?: readonly CashRefund[];
}

export interface CashRefund {
  readonly id: string;
  readonly saleId: string;
  readonly cents: number;
  readonly at: string;
}

export interface DayClose {
  readonly no: number;
  readonly closedAt: string;
  readonly closedBy: string;
  readonly report: ZReport;
}

export interface Health {
  readonly ok: boolean;
  readonly mode: 'demo' | 'live';
  readonly mypos: string;
  readonly clockOffsetMs?: number;
  readonly certificates: ReadonlyArray<{ name: string; subject: string; notAfter: string; daysLeft: number; expiresSoon: boolean }>;
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly role: 'till' | 'admin';
  readonly terminals: readonly string[];
  readonly createdAt: string;
  readonly revokedAt?: string;
}

export interface PairingCode {
  readonly code: string;
  readonly link: string;
  readonly qrSvg: string;
  readonly expiresAt: string;
}

export function eventsUrl(ruid: string): string {
  return `/api/payments/${encodeURIComponent(ruid)}/events`;
}
