import type { ShopBody, ShopProfile } from '../../../shared/api.js';
import type { CreatePaymentBody, CreatePreauthBody, CreateRefundBody, CreateTerminalBody, DayCloseBody, Product, ProductBody } from '../../../shared/api.js';
import type { SaleInput } from '../../../shared/sale.js';
import type { SaleStatus, SaleViewFields } from '../../../shared/sale-status.js';
import type { ZReport } from '../../../shared/z-report.js';
import type { Payment, TerminalTransport } from '../../../shared/payments.js';
import type { DoctorSummary } from '../../../shared/doctor.js';
import { request } from './net/http.js';

// The edge's API as the till calls it, over net/http.ts (the one fetch). A network failure is status
// 0: the caller decides whether the same request (same RUID) is sent again.

export type { ApiError, ApiResult } from './net/http.js';
export type { DayClose, Device, Health, PairingCode, Terminal } from './api-types.js';
import type { DayClose, Device, Health, PairingCode, Terminal } from './api-types.js';

export interface LastApproved {
  readonly ruid: string;
  readonly amount: string;
  readonly approvedAt: string;
}

export const api = {
  terminals: (timeoutMs?: number) => request<{ terminals: Terminal[] }>('GET', '/api/terminals', undefined, timeoutMs === undefined ? {} : { timeoutMs }),
  subscribe: (body: CreateTerminalBody) => request<{ terminal: Terminal }>('POST', '/api/terminals', body),
  unsubscribe: (tid: string) => request<{ terminal: Terminal }>('DELETE', `/api/terminals/${encodeURIComponent(tid)}`),
  createPayment: (body: CreatePaymentBody) => request<{ payment: Payment }>('POST', '/api/payments', body),
  payment: (ruid: string) => request<{ payment: Payment }>('GET', `/api/payments/${encodeURIComponent(ruid)}`),
  /** A payment link for the customer's phone (the outbox makes it; this reads it again, e.g. after a reload). */
  checkout: (ruid: string) => request<{ payment: Payment; checkout: unknown }>('GET', `/api/checkouts/${encodeURIComponent(ruid)}`),
  cancel: (ruid: string) => request<{ payment: Payment }>('POST', `/api/payments/${encodeURIComponent(ruid)}/cancel`),
  pair: (code: string, name: string) => request<{ device: Device }>('POST', '/api/devices/pair', { code, name }),
  devices: () => request<{ devices: Device[] }>('GET', '/api/devices'),
  /** The edge in detail (mode, myPOS host, certificates, clock): an admin's; a till device gets 403 and shows none. */
  health: () => request<Health>('GET', '/api/health'),
  products: () => request<{ products: Product[]; currency: string }>('GET', '/api/products'),
  saveProduct: (id: string, body: ProductBody) => request<{ product: Product }>('PUT', `/api/products/${encodeURIComponent(id)}`, body),
  /** The shop's profile (every device reads it; an admin saves it, for every till). */
  shop: () => request<{ shop: ShopProfile }>('GET', '/api/shop'),
  saveShop: (body: ShopBody) => request<{ shop: ShopProfile }>('PUT', '/api/shop', body),
  pairingCode: (role: 'till' | 'admin', terminals: readonly string[] = ['*']) => request<PairingCode>('POST', '/api/devices/pairing-codes', { role, terminals }),
  setDeviceTerminals: (id: string, terminals: readonly string[]) => request<{ device: Device }>('PATCH', `/api/devices/${encodeURIComponent(id)}`, { terminals }),
  preauth: (body: CreatePreauthBody) => request<{ payment: Payment }>('POST', '/api/preauths', body),
  completePreauth: (preauthRuid: string, ruid: string, amount: string) => request<{ payment: Payment }>('POST', `/api/preauths/${encodeURIComponent(preauthRuid)}/completion`, { ruid, amount }),
  releasePreauth: (preauthRuid: string, ruid: string) => request<{ payment: Payment }>('POST', `/api/preauths/${encodeURIComponent(preauthRuid)}/release`, { ruid }),
  resolve: (ruid: string, state: 'approved' | 'declined') => request<{ payment: Payment }>('POST', `/api/payments/${encodeURIComponent(ruid)}/resolve`, { state }),
  refund: (body: CreateRefundBody) => request<{ payment: Payment }>('POST', '/api/refunds', body),
  sale: (id: string) => request<SaleView>('GET', `/api/sales/${encodeURIComponent(id)}`),
  /** A sale by its receipt number, if this device may see it. */
  saleByReceiptNo: (no: number) => request<{ sales: Array<{ id: string; receiptNo: number; status: SaleStatus }> }>('GET', `/api/sales?receiptNo=${no}`),
  /** What happened to each of these sales (at most 100), for History: the ones this device may see. */
  saleStatuses: (ids: readonly string[]) => request<unknown>('GET', `/api/sales?${new URLSearchParams({ ids: ids.join(',') }).toString()}`),
  cashRefund: (saleId: string, id: string, amount: string) => request<SaleView & { refund: CashRefund }>('POST', `/api/sales/${encodeURIComponent(saleId)}/cash-refunds`, { id, amount }),
  currentDay: (openingFloat: string, countedCash: string | undefined) =>
    request<{ report: ZReport; shop?: string }>('GET', `/api/day-closes/current?${new URLSearchParams({ openingFloat, ...(countedCash === undefined ? {} : { countedCash }) }).toString()}`),
  closeDay: (body: DayCloseBody) => request<{ close: DayClose }>('POST', '/api/day-closes', body),
  dayCloses: () => request<{ closes: DayClose[]; shop?: string }>('GET', '/api/day-closes'),
  revoke: (id: string) => request<{ device: Device }>('POST', `/api/devices/${encodeURIComponent(id)}/revoke`),
  /** The myPOS protocol profile in use and where each part came from (admin). */
  myposProfile: () =>
    request<{ profile: { version: string; signingOrder: string; answerOrder: string; soapActions: Readonly<Record<string, string>> }; sources: Readonly<Record<'version' | 'signingOrder' | 'answerOrder' | 'soapActions', 'documents' | 'learned' | 'environment' | 'wsdl'>>; learned?: { learnedAt: string } }>('GET', '/api/mypos/profile'),
  /** The myPOS doctor on a cloud terminal (admin): at most 10 harmless calls; what works is saved and used. */
  myposDoctor: (tid: string) => request<{ report: DoctorSummary }>('POST', '/api/mypos/doctor', { tid }),
};

/** A sale as the edge's ledger answers it (GET /api/sales/:id): what happened to it and what is left. */
export interface SaleView extends SaleViewFields {
  /** The sale as the edge booked it (another till's sale is shown from this); transport: its card payment's channel (online: paid by link). */
  readonly sale: SaleInput & { readonly receiptNo: number; readonly tid?: string; readonly transport?: TerminalTransport };
  readonly cashRefunds?: readonly CashRefund[];
}

export interface CashRefund {
  readonly id: string;
  readonly saleId: string;
  readonly cents: number;
  readonly at: string;
}

export function eventsUrl(ruid: string): string {
  return `/api/payments/${encodeURIComponent(ruid)}/events`;
}
