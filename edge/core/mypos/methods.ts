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
 * documented: version, login, key_index, tid, ruid (the reference's example and DECISIONS.md).
 * key_index_first: key_index, version, login, tid, ruid (the public PHP client signs so, and the
 * MPRSubscribe page's tables list it so). Used for the wire order and the signing order, which are
 * separate settings (profile.ts); the doctor learns which signing order myPOS accepts.
 */
export type FieldOrder = 'documented' | 'key_index_first';

export const COMMON_FIELDS = ['version', 'login', 'key_index', 'tid', 'ruid'] as const;

const METHOD_FIELDS: Readonly<Record<MyposMethod, readonly FieldSpec[]>> = {
  MPRSubscribe: [{ name: 'currency' }, { name: 'action' }],
  MPRPurchase: [{ name: 'amount' }, { name: 'reference_number', optional: true }, { name: 'reference_number_type', optional: true }],
  // The current MPRRefund method page: version, login, key_index, tid, ruid, amount.
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

/**
 * Each method's own answer elements (beyond the echoes, status and status_msg), in the documented
 * order: what the `logical` answer order signs (profile.ts).
 */
export const ANSWER_FIELDS: Readonly<Record<MyposMethod, readonly string[]>> = {
  MPRSubscribe: ['code'],
  MPRPurchase: [],
  MPRRefund: [],
  MPRLastTxnVoid: [],
  MPRCancel: [],
  MPRGetTxnStatus: TXN_STATUS_DETAIL_FIELDS,
};

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const MYPOS_NS = 'urnIPayService';
export const RESULT_NS = 'http://schemas.datacontract.org/2004/07/iPay.Core';
