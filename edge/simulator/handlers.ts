import { DEFAULT_AMOUNT_CAP_CENTS, formatCents, parseAmountWithinCap } from '../../shared/money.js';
import { checkCurrency, checkReference, checkRuid, checkTid } from '../../shared/validation.js';
import type { MyposMethod } from '../core/mypos/methods.js';
import { outcomeFor } from './outcomes.js';
import type { MerchantProfile } from './settings.js';
import { isFinal, type SimTxn, type VirtualTerminals } from './terminals.js';

/** What a method answers, before the echo fields, the signature and the envelope are added. */
export interface MethodAnswer {
  readonly status: string;
  readonly statusMsg: string;
  readonly extra: ReadonlyArray<readonly [string, string]>;
  /** A successful answer echoes every element (ME/CE); a refusal echoes the common ones only. */
  readonly echoAll: boolean;
}

export interface HandlerContext {
  readonly terminals: VirtualTerminals;
  readonly merchant: MerchantProfile;
  /** Where a PIN code appears in MPRGetTxnStatus: response_code (default) or status. */
  readonly pinCodeIn: 'response_code' | 'status';
}

export const answer = (status: string, statusMsg: string, extra: ReadonlyArray<readonly [string, string]> = [], echoAll = false): MethodAnswer => ({
  status,
  statusMsg,
  extra,
  echoAll,
});
const OK = (extra: ReadonlyArray<readonly [string, string]> = []) => answer('0', 'OK', extra, true);
const INVALID = answer('4', 'E_INVALID_PARAMS');
const NOT_FOUND = answer('41', 'Terminal not found');
/** Subscribed, but the code was not typed on the device yet: not in cash-register mode. */
const INACTIVE = answer('7', 'E_INACTIVE_TID');
const OFFLINE = answer('42', 'Terminal offline');

export function handleMethod(method: MyposMethod, fields: ReadonlyMap<string, string>, context: HandlerContext): MethodAnswer {
  const value = (name: string) => fields.get(name) ?? '';
  if (!checkTid(value('tid')).ok || !checkRuid(value('ruid')).ok) return INVALID;
  switch (method) {
    case 'MPRSubscribe':
      return subscribe(value('tid'), value('currency'), value('action'), context);
    case 'MPRPurchase':
    case 'MPRRefund':
      return startPayment(method, fields, context);
    case 'MPRLastTxnVoid':
      return voidLast(value('tid'), value('ruid_original'), value('amount'), context);
    case 'MPRCancel':
      return cancel(value('tid'), value('ruid_original'), context);
    case 'MPRGetTxnStatus':
      return txnStatus(value('tid'), value('ruid_original'), context);
  }
}

function subscribe(tid: string, currency: string, action: string, { terminals }: HandlerContext): MethodAnswer {
  const terminal = terminals.terminals.get(tid);
  if (!terminal) return NOT_FOUND;
  if (!checkCurrency(currency).ok || (action !== '1' && action !== '2')) return INVALID;
  if (currency !== terminal.currency) return answer('4', 'E_INVALID_PARAMS');
  if (action === '2' && terminal.subscription === 'none') return NOT_FOUND;
  const code = terminals.newCode();
  terminal.code = code;
  if (action === '1' && terminal.subscription !== 'subscribed') terminal.subscription = 'pending_subscribe';
  if (action === '2') terminal.subscription = 'pending_unsubscribe';
  return OK([['code', code]]);
}

function usableTerminal(tid: string, { terminals }: HandlerContext) {
  const terminal = terminals.terminals.get(tid);
  if (terminal?.subscription === 'pending_subscribe') return INACTIVE;
  if (!terminal || (terminal.subscription !== 'subscribed' && terminal.subscription !== 'pending_unsubscribe')) return NOT_FOUND;
  if (!terminal.online) return OFFLINE;
  return terminal;
}

function startPayment(method: 'MPRPurchase' | 'MPRRefund', fields: ReadonlyMap<string, string>, context: HandlerContext): MethodAnswer {
  const terminal = usableTerminal(fields.get('tid') ?? '', context);
  if ('status' in terminal) return terminal;
  const amount = parseAmountWithinCap(fields.get('amount') ?? '', DEFAULT_AMOUNT_CAP_CENTS);
  if (!amount.ok) return INVALID;
  let reference: { number: string; type: string } | undefined;
  const number = fields.get('reference_number');
  const type = fields.get('reference_number_type');
  if (number !== undefined || type !== undefined) {
    const checked = checkReference({ number: number ?? '', type: type ?? '' });
    if (!checked.ok) return INVALID;
    reference = checked.value;
  }
  const row = outcomeFor(amount.value);
  if (row.request === 'terminal_offline') return OFFLINE;
  if (row.request === 'terminal_timeout') return answer('60', 'Request timeout');
  if (row.request === 'system_error') return answer('99', 'E_UNDEFINED_ERROR');
  if (terminal.pending !== undefined) return answer('11', terminal.pending);
  context.terminals.startTxn(terminal, { ruid: fields.get('ruid') ?? '', method, amountCents: amount.value, ...(reference ? { reference } : {}) });
  return OK();
}

function voidLast(tid: string, ruidOriginal: string, amountText: string, context: HandlerContext): MethodAnswer {
  const terminal = usableTerminal(tid, context);
  if ('status' in terminal) return terminal;
  const amount = parseAmountWithinCap(amountText);
  if (!amount.ok || !checkRuid(ruidOriginal).ok) return INVALID;
  if (terminal.pending !== undefined) return answer('11', terminal.pending);
  return context.terminals.voidLast(tid, ruidOriginal, amount.value) ? OK() : answer('10', 'E_TRANSACTION_NOT_PERMITTED');
}

function cancel(tid: string, ruidOriginal: string, context: HandlerContext): MethodAnswer {
  const terminal = usableTerminal(tid, context);
  if ('status' in terminal) return terminal;
  switch (context.terminals.cancel(tid, ruidOriginal)) {
    case 'cancelled':
      return OK();
    case 'in_progress':
      return answer('17', 'E_TRANSACTION_IN_PROGRESS');
    case 'final':
      return answer('10', 'E_TRANSACTION_NOT_PERMITTED');
    case 'unknown':
      return INVALID;
  }
}

const ORIGINAL_STATUS: Readonly<Record<SimTxn['phase'], string>> = {
  awaiting_confirmation: '15',
  awaiting_card: '15',
  pin: '15',
  approved: '0',
  declined: '13',
  cancelled: '14',
};

/**
 * Only for a terminal in cash-register mode (7 while its code waits, 41 when not subscribed); then
 * an unknown ruid_original is answered 4 E_INVALID_PARAMS: the request never reached myPOS.
 */
function txnStatus(tid: string, ruidOriginal: string, context: HandlerContext): MethodAnswer {
  const txn = context.terminals.txns.get(ruidOriginal);
  const terminal = context.terminals.terminals.get(tid);
  if (terminal?.subscription === 'pending_subscribe') return INACTIVE;
  if (!terminal || terminal.subscription === 'none') return NOT_FOUND;
  if (!txn || txn.tid !== tid) return INVALID;
  const extra: Array<[string, string]> = [
    ['ruid_original_status', ORIGINAL_STATUS[txn.phase]],
    ['original_method', txn.method],
    ['amount', formatCents(txn.amountCents)],
  ];
  const pinCode = txn.phase === 'pin' ? txn.pinCode : undefined;
  if (pinCode !== undefined && context.pinCodeIn === 'response_code') extra.push(['response_code', pinCode]);
  const card = txn.card;
  if (card && isFinal(txn.phase)) {
    const { merchant } = context;
    extra.push(
      ['response_code', card.responseCode],
      ['auth_code', card.authCode],
      ['rrn', card.rrn],
      ['stan', card.stan],
      ['masked_pan', card.maskedPan],
      ['aid', card.aid],
      ['aid_name', card.aidName],
      ['emboss_name', card.embossName],
      ['mid', merchant.mid],
      ['merch_name', merchant.name],
      ['merch_address_line1', merchant.addressLine1],
      ['merch_address_line2', merchant.addressLine2],
      ['merch_txn_date', card.date],
      ['merch_txn_time', card.time],
      ['signature_required', '0'],
    );
  }
  if (pinCode !== undefined && context.pinCodeIn === 'status') return answer(pinCode, 'PIN entry in progress', extra, true);
  return OK(extra);
}
