import { describeStatus, normaliseCode, type StatusInfo } from '../../../shared/status-codes.js';
import type { MyposMethod } from './methods.js';

/** A response whose signature verified and whose echoes match the request. */
export interface MyposResponse {
  readonly method: MyposMethod;
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** As a code: a numeric status compares as a number ("00" is "0"). */
  readonly status: string;
  readonly statusMsg: string;
  readonly statusInfo: StatusInfo;
  /** The HTTP Date header, to report our clock offset from myPOS. */
  readonly httpDate: string | undefined;
}

export function fieldValue(response: Pick<MyposResponse, 'fields'>, name: string): string | undefined {
  return response.fields.find(([field]) => field === name)?.[1];
}

export function toMyposResponse(method: MyposMethod, fields: ReadonlyArray<readonly [string, string]>, httpDate: string | undefined): MyposResponse {
  const raw = fieldValue({ fields }, 'status')?.trim() ?? '';
  const status = raw === '' ? '' : normaliseCode(raw);
  const statusMsg = fieldValue({ fields }, 'status_msg')?.trim() ?? '';
  return { method, fields, status, statusMsg, statusInfo: describeStatus(status, statusMsg), httpDate };
}
