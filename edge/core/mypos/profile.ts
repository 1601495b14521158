import { ANSWER_FIELDS, COMMON_FIELDS, MYPOS_METHODS, MYPOS_NS, requestFields, type FieldOrder, type FieldSpec, type MyposMethod } from './methods.js';

// How this edge speaks to myPOS where the documents leave it open (DECISIONS.md "What the documents
// leave open"): which order the elements go on the wire, which order their values are signed in,
// the SOAPAction of each method, and the order myPOS's answers are signed in. Defaults follow the
// documents; the WSDL, the environment and what the doctor learned override them (edge/core/mypos/
// profile-sources.ts says in which order).

/**
 * as_received: the values of the answer's elements in the order they arrived (the documents).
 * logical: the request's elements in the order sent, then the method's own answer elements in the
 * documented order, then status and status_msg; elements the documents do not name (WCF's
 * `method_name`) and `i:nil` ones left out. A WCF service writes members alphabetically, so its
 * signature may cover this order instead of the one on the wire.
 */
export const ANSWER_ORDERS = ['as_received', 'logical'] as const;
export type AnswerOrder = (typeof ANSWER_ORDERS)[number];

export const FIELD_ORDERS: readonly FieldOrder[] = ['documented', 'key_index_first'];

export interface ProtocolProfile {
  readonly version: string;
  /** The order of the elements on the wire, unless the WSDL gave the method's sequence. */
  readonly wireOrder: FieldOrder;
  /** Each request's element sequence as the WSDL declares it: wins over wireOrder. */
  readonly wireSequences: Readonly<Partial<Record<MyposMethod, readonly string[]>>>;
  /** The order of the values in the signed string: a setting of its own (the public client's differs from the wire). */
  readonly signingOrder: FieldOrder;
  /** The SOAPAction header of each method, unquoted. */
  readonly soapActions: Readonly<Record<MyposMethod, string>>;
  readonly answerOrder: AnswerOrder;
}

/** No document gives the SOAPAction; these are the two a WCF service with namespace urnIPayService would use. */
export function soapActionCandidates(method: MyposMethod): readonly string[] {
  return [`${MYPOS_NS}/${method}`, `${MYPOS_NS}/IPayService/${method}`];
}

function actionsOf(pick: (method: MyposMethod) => string): Record<MyposMethod, string> {
  return Object.fromEntries(MYPOS_METHODS.map((method) => [method, pick(method)])) as Record<MyposMethod, string>;
}

/** Our reading of the documents, with nothing learned. */
export const DOCUMENTED_PROFILE: ProtocolProfile = {
  version: '3.0',
  wireOrder: 'documented',
  wireSequences: {},
  signingOrder: 'documented',
  soapActions: actionsOf((method) => soapActionCandidates(method)[0] ?? method),
  answerOrder: 'as_received',
};

/** The SOAPAction template of a setting: `{method}` stands for the method's name. */
export function soapActionsFromTemplate(template: string): Record<MyposMethod, string> {
  return actionsOf((method) => template.replaceAll('{method}', method));
}

/** Every element of a request in the order it goes on the wire, signature excluded. */
export function wireFields(method: MyposMethod, profile: ProtocolProfile): readonly FieldSpec[] {
  const byOrder = requestFields(method, profile.wireOrder);
  const sequence = profile.wireSequences[method];
  if (!sequence) return byOrder;
  const specs = new Map(byOrder.map((spec) => [spec.name, spec]));
  // The WSDL's sequence decides the order; what optional means stays ours. An element the WSDL
  // declares that we never send is left out (minOccurs="0" in WCF), one it lacks is kept last.
  const ordered = sequence.flatMap((name) => {
    const spec = specs.get(name);
    return spec ? [spec] : [];
  });
  return [...ordered, ...byOrder.filter((spec) => !sequence.includes(spec.name))];
}

/** The names of a request's signed values, in signing order. */
export function signingNames(method: MyposMethod, order: FieldOrder): readonly string[] {
  return requestFields(method, order).map((spec) => spec.name);
}

export type Fields = ReadonlyArray<readonly [string, string]>;

/** The values of a request's sent elements in the signing order (absent optional ones left out). */
export function requestSignedValues(method: MyposMethod, order: FieldOrder, sent: Fields): string[] {
  const values = new Map(sent);
  return signingNames(method, order).flatMap((name) => {
    const value = values.get(name);
    return value === undefined ? [] : [value];
  });
}

/**
 * The values an answer's signature covers under the given order. `received` holds the answer's
 * elements in arrival order, signature and i:nil ones already removed; `sentNames` the request's
 * element names in the order they were sent.
 */
export function answerSignedValues(order: AnswerOrder, method: MyposMethod, sentNames: readonly string[], received: Fields): string[] {
  if (order === 'as_received') return received.map(([, value]) => value);
  const values = new Map(received);
  const names = [...sentNames, ...(requestFields(method, 'documented').map((spec) => spec.name).filter((name) => !sentNames.includes(name))), ...ANSWER_FIELDS[method], 'status', 'status_msg'];
  const seen = new Set<string>();
  return names.flatMap((name) => {
    const value = values.get(name);
    if (value === undefined || seen.has(name)) return [];
    seen.add(name);
    return [value];
  });
}

export function otherAnswerOrder(order: AnswerOrder): AnswerOrder {
  return order === 'as_received' ? 'logical' : 'as_received';
}

export function isCommonField(name: string): boolean {
  return (COMMON_FIELDS as readonly string[]).includes(name);
}
