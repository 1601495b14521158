import { ANSWER_FIELDS, MYPOS_METHODS, MYPOS_NS, RESULT_NS, SOAP_NS, requestFields, type MyposMethod } from '../core/mypos/methods.js';
import { escapeXmlText } from '../core/mypos/xml.js';

// SIM_PROFILE=wcf: the simulator as a WCF service looks to the public PHP client
// (lelyfoto/mypos-cashregisterremote): a WSDL at ?wsdl whose types are split into ?xsd=xsd0 (and
// the result types into ?xsd=xsd2), the contract IPayService with WCF's default actions
// `urnIPayService/IPayService/<Method>`, a SOAP Fault ActionNotSupported for any other SOAPAction,
// and results written by a DataContractSerializer: every member, in ordinal alphabetical order,
// i:nil for an unset string and 0 for an unset integer, with a `method_name` member.

type Fields = ReadonlyArray<readonly [string, string]>;

export const WCF_CONTRACT = 'IPayService';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const ADDRESSING_NONE = 'http://schemas.microsoft.com/ws/2005/05/addressing/none';
const DISPATCHER_NS = 'http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher';

/** WCF's default action of an operation: `<namespace>/<contract>/<operation>`. */
export function wcfSoapAction(method: MyposMethod): string {
  return `${MYPOS_NS}/${WCF_CONTRACT}/${method}`;
}

/** The operation a SOAPAction dispatches to, if any. */
export function methodOfWcfAction(action: string): MyposMethod | undefined {
  return MYPOS_METHODS.find((method) => wcfSoapAction(method) === action);
}

/** The SOAPAction header without its quotes ('' when absent). */
export function soapActionHeader(request: Request): string {
  const raw = (request.headers.get('soapaction') ?? '').trim();
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** Members written as integers: 0 when the request did not set them (never i:nil). */
const INTEGER_MEMBERS: ReadonlySet<string> = new Set(['key_index', 'reference_number_type']);

/** String.CompareOrdinal, as DataContractSerializer orders members. */
export function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every member of a method's result, alphabetical, signature and method_name included. */
export function resultMembers(method: MyposMethod): string[] {
  const names = new Set([...requestFields(method, 'documented').map((spec) => spec.name), ...ANSWER_FIELDS[method], 'status', 'status_msg', 'method_name', 'signature']);
  return [...names].sort(ordinal);
}

/**
 * The answer's elements as the WCF service writes them, signature excluded: every member of the
 * result in alphabetical order; undefined is written i:nil. A member the answer has no value for is
 * nil, except an integer one for a field the request did not send, which is 0 (WCF's unset int).
 * ruid_original_status is written with two digits.
 */
export function wcfAnswerElements(method: MyposMethod, fields: Fields, request: Fields): Array<readonly [string, string | undefined]> {
  const values = new Map(fields);
  const sent = new Set(request.map(([name]) => name));
  const names = new Set([...resultMembers(method).filter((name) => name !== 'signature'), ...fields.map(([name]) => name)]);
  return [...names].sort(ordinal).map((name) => {
    if (name === 'method_name') return [name, method] as const;
    const value = values.get(name);
    if (value === undefined) return [name, INTEGER_MEMBERS.has(name) && !sent.has(name) ? '0' : undefined] as const;
    return [name, name === 'ruid_original_status' && /^[0-9]$/.test(value) ? `0${value}` : value] as const;
  });
}

/** The answer's XML: elements (signature among them, in its alphabetical place) inside <XResult>. */
export function wcfAnswerXml(method: MyposMethod, elements: ReadonlyArray<readonly [string, string | undefined]>): string {
  const body = [...elements]
    .sort(([a], [b]) => ordinal(a, b))
    .map(([name, value]) => (value === undefined ? `<a:${name} i:nil="true"/>` : `<a:${name}>${escapeXmlText(value)}</a:${name}>`))
    .join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}"><s:Body>` +
    `<${method}Response xmlns="${MYPOS_NS}"><${method}Result xmlns:a="${RESULT_NS}" xmlns:i="${XSI_NS}">` +
    `${body}</${method}Result></${method}Response></s:Body></s:Envelope>`
  );
}

/** WCF escapes only what XML text must: an apostrophe stays as it is. */
const textOf = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function wcfFault(code: string, codeNs: string, text: string): Response {
  const xml =
    `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${codeNs}">${code}</faultcode><faultstring xml:lang="en-US">${textOf(text)}</faultstring>` +
    `</s:Fault></s:Body></s:Envelope>`;
  return new Response(xml, { status: 500, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

/** WCF's answer to a SOAPAction no operation has: the request was never dispatched. */
export function actionNotSupported(action: string): Response {
  return wcfFault(
    'a:ActionNotSupported',
    ADDRESSING_NONE,
    `The message with Action '${action}' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher. ` +
      'This may be because of either a contract mismatch (mismatched Actions between sender and receiver) or a binding/security mismatch between the sender and the receiver.  ' +
      'Check that sender and receiver have the same contract and the same binding (including security requirements, e.g. Message, Transport, None).',
  );
}

/** WCF's answer when the body is not the element the action's operation expects. */
export function deserializationFailed(method: MyposMethod, found: string): Response {
  return wcfFault(
    'a:DeserializationFailed',
    DISPATCHER_NS,
    `The formatter threw an exception while trying to deserialize the message: Error in deserializing body of request message for operation '${method}'. ` +
      `OperationFormatter encountered an invalid Message body. Expected to find node type 'Element' with name '${method}' and namespace '${MYPOS_NS}'. ` +
      `Found node type 'Element' with name '${found}'.`,
  );
}

// --- metadata: ?wsdl, ?xsd=xsd0 (the operations' elements), ?xsd=xsd2 (the result types) ---

const xsType = (name: string) => (INTEGER_MEMBERS.has(name) ? 'type="xs:int"' : 'nillable="true" type="xs:string"');
const member = (name: string) => `<xs:element minOccurs="0" name="${name}" ${xsType(name)}/>`;
const resultType = (method: MyposMethod) => `iC${method}Result`;

/** The service description; `base` is the scheme, host and port the request came to. */
export function wcfWsdl(base: string): string {
  const messages = MYPOS_METHODS.map(
    (method) =>
      `<wsdl:message name="${WCF_CONTRACT}_${method}_InputMessage"><wsdl:part name="parameters" element="tns:${method}"/></wsdl:message>` +
      `<wsdl:message name="${WCF_CONTRACT}_${method}_OutputMessage"><wsdl:part name="parameters" element="tns:${method}Response"/></wsdl:message>`,
  ).join('');
  const portOperations = MYPOS_METHODS.map(
    (method) =>
      `<wsdl:operation name="${method}">` +
      `<wsdl:input wsaw:Action="${wcfSoapAction(method)}" message="tns:${WCF_CONTRACT}_${method}_InputMessage"/>` +
      `<wsdl:output wsaw:Action="${wcfSoapAction(method)}Response" message="tns:${WCF_CONTRACT}_${method}_OutputMessage"/>` +
      `</wsdl:operation>`,
  ).join('');
  const bindingOperations = MYPOS_METHODS.map(
    (method) =>
      `<wsdl:operation name="${method}"><soap:operation soapAction="${wcfSoapAction(method)}" style="document"/>` +
      `<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>`,
  ).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<wsdl:definitions name="PayService" targetNamespace="${MYPOS_NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" ` +
    `xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="${MYPOS_NS}" ` +
    `xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl" xmlns:msc="http://schemas.microsoft.com/ws/2005/12/wsdl/contract">` +
    `<wsdl:types><xsd:schema targetNamespace="${MYPOS_NS}/Imports">` +
    `<xsd:import schemaLocation="${base}/?xsd=xsd0" namespace="${MYPOS_NS}"/>` +
    `</xsd:schema></wsdl:types>` +
    messages +
    `<wsdl:portType name="${WCF_CONTRACT}">${portOperations}</wsdl:portType>` +
    `<wsdl:binding name="BasicHttpBinding_${WCF_CONTRACT}" type="tns:${WCF_CONTRACT}">` +
    `<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>${bindingOperations}</wsdl:binding>` +
    `<wsdl:service name="PayService"><wsdl:port name="BasicHttpBinding_${WCF_CONTRACT}" binding="tns:BasicHttpBinding_${WCF_CONTRACT}">` +
    `<soap:address location="${base}/infromhttp"/></wsdl:port></wsdl:service>` +
    `</wsdl:definitions>`
  );
}

/** xsd0: each operation's request element (the documented wire order) and its response element. */
export function wcfOperationsSchema(base: string): string {
  const elements = MYPOS_METHODS.map(
    (method) =>
      `<xs:element name="${method}"><xs:complexType><xs:sequence>` +
      requestFields(method, 'documented')
        .map((spec) => member(spec.name))
        .join('') +
      `</xs:sequence></xs:complexType></xs:element>` +
      `<xs:element name="${method}Response"><xs:complexType><xs:sequence>` +
      `<xs:element minOccurs="0" name="${method}Result" nillable="true" type="q1:${resultType(method)}"/>` +
      `</xs:sequence></xs:complexType></xs:element>`,
  ).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<xs:schema elementFormDefault="qualified" targetNamespace="${MYPOS_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${MYPOS_NS}" xmlns:q1="${RESULT_NS}">` +
    `<xs:import schemaLocation="${base}/?xsd=xsd2" namespace="${RESULT_NS}"/>` +
    elements +
    `</xs:schema>`
  );
}

/** xsd2: the result data contracts, members in the order they are written. */
export function wcfResultSchema(): string {
  const types = MYPOS_METHODS.map(
    (method) =>
      `<xs:complexType name="${resultType(method)}"><xs:sequence>${resultMembers(method).map(member).join('')}</xs:sequence></xs:complexType>` +
      `<xs:element name="${resultType(method)}" nillable="true" type="tns:${resultType(method)}"/>`,
  ).join('');
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<xs:schema elementFormDefault="qualified" targetNamespace="${RESULT_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="${RESULT_NS}">` +
    types +
    `</xs:schema>`
  );
}

/** Whether a GET asks for metadata (?wsdl, ?xsd=…), the query's names read case-insensitively. */
export function isMetadataQuery(url: URL): boolean {
  return [...url.searchParams.keys()].some((key) => key.toLowerCase() === 'wsdl' || key.toLowerCase() === 'xsd');
}

/** The metadata document a GET asks for, or undefined when there is none by that name. */
export function wcfMetadata(url: URL): string | undefined {
  const params = [...url.searchParams.entries()].map(([key, value]) => [key.toLowerCase(), value.toLowerCase()] as const);
  if (params.some(([key]) => key === 'wsdl')) return wcfWsdl(url.origin);
  const xsd = params.find(([key]) => key === 'xsd')?.[1];
  if (xsd === 'xsd0') return wcfOperationsSchema(url.origin);
  if (xsd === 'xsd2') return wcfResultSchema();
  return undefined;
}
