import type { CreatePaymentBody, CreateTerminalBody } from '../../../shared/api.js';
import type { Payment } from '../../../shared/payments.js';

// The edge's API as the till calls it. A network failure is status 0: the caller decides whether
// the same request (same RUID) is sent again.

export interface ApiError {
  readonly code?: string;
  readonly field?: string;
  readonly rule?: string;
  readonly message: string;
  readonly inFlightRuid?: string;
}

export type ApiResult<T> = { readonly ok: true; readonly status: number; readonly data: T } | { readonly ok: false; readonly status: number; readonly error: ApiError };

export interface Terminal {
  readonly tid: string;
  readonly currency: string;
  readonly state: 'pending_code' | 'active' | 'unsubscribing' | 'not_subscribed';
  readonly code?: string;
  readonly inFlightRuid?: string;
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
};

export function eventsUrl(ruid: string): string {
  return `/api/payments/${encodeURIComponent(ruid)}/events`;
}
