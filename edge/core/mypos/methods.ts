// The one table of which elements each myPOS method sends, in which order (DECISIONS.md
// "Signatures"). A correction of the order is a change here and nowhere else.

export const MYPOS_METHODS = ['MPRSubscribe', 'MPRPurchase', 'MPRRefund', 'MPRLastTxnVoid', 'MPRCancel', 'MPRGetTxnStatus'] as const;
export type MyposMethod = (typeof MYPOS_METHODS)[number];

export interface FieldSpec {
  readonly name: string;
  /** An optional element is left out of the envelope and out of the signed string when absent. */
  readonly optional?: boolean;
}

/**
 * reference: version, login, key_index, tid, ruid (the reference's example and DECISIONS.md).
 * key_index_first: key_index, version, login, tid, ruid (the public PHP client and the MPRSubscribe
 * page's tables). Only the myPOS test endpoint can settle which one is right.
 */
export type FieldOrder = 'reference' | 'key_index_first';

export const COMMON_FIELDS = ['version', 'login', 'key_index', 'tid', 'ruid'] as const;

const METHOD_FIELDS: Readonly<Record<MyposMethod, readonly FieldSpec[]>> = {
  MPRSubscribe: [{ name: 'currency' }, { name: 'action' }],
  MPRPurchase: [{ name: 'amount' }, { name: 'reference_number', optional: true }, { name: 'reference_number_type', optional: true }],
  // No public method page lists MPRRefund's fields; the public client sends only the amount.
  MPRRefund: [{ name: 'amount' }],
  MPRLastTxnVoid: [{ name: 'ruid_original' }, { name: 'amount' }],
  MPRCancel: [{ name: 'ruid_original' }],
  MPRGetTxnStatus: [{ name: 'ruid_original' }],
};

/** Every element of a request, in the order sent and signed, signature excluded. */
export function requestFields(method: MyposMethod, order: FieldOrder): readonly FieldSpec[] {
  const common: readonly string[] =
    order === 'key_index_first' ? ['key_index', 'version', 'login', 'tid', 'ruid'] : COMMON_FIELDS;
  return [...common.map((name) => ({ name })), ...METHOD_FIELDS[method]];
}

export function isMyposMethod(name: string): name is MyposMethod {
  return (MYPOS_METHODS as readonly string[]).includes(name);
}

/** Fields that a successful answer must echo with the exact value sent (ME, and CE when sent). */
export function echoedFields(method: MyposMethod, order: FieldOrder): readonly FieldSpec[] {
  return requestFields(method, order);
}

/** Elements of MPRGetTxnStatus' answer that a receipt shows, in the order myPOS sends them. */
export const TXN_STATUS_DETAIL_FIELDS = [
  'ruid_original_status',
  'original_method',
  'amount',
  'response_code',
  'auth_code',
  'rrn',
  'stan',
  'masked_pan',
  'aid',
  'aid_name',
  'emboss_name',
  'mid',
  'merch_name',
  'merch_address_line1',
  'merch_address_line2',
  'merch_txn_date',
  'merch_txn_time',
  'signature_required',
] as const;
export type TxnStatusDetailField = (typeof TXN_STATUS_DETAIL_FIELDS)[number];

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const MYPOS_NS = 'urnIPayService';
export const RESULT_NS = 'http://schemas.datacontract.org/2004/07/iPay.Core';
