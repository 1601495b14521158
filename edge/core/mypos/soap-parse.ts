import { XMLParser, XMLValidator } from 'fast-xml-parser';

// Reads a SOAP message into ordered (name, text) pairs. Every value stays a string ("1A", "0050",
// "23.40" survive), namespace prefixes are dropped, and a DOCTYPE or entity declaration is refused
// before parsing so no entity can expand.

export const MAX_SOAP_BYTES = 10 * 1024 * 1024;

export interface SoapElement {
  readonly name: string;
  /** The children with a value, in arrival order. An `i:nil="true"` child reads as absent. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** Every child's name in arrival order, nil ones included (the doctor reports the layout). */
  readonly names: readonly string[];
}

/** A SOAP Fault's code (e.g. "a:ActionNotSupported", a WCF service's answer to a wrong SOAPAction) and text. */
export interface SoapFault {
  readonly code: string;
  readonly text: string;
}

export type SoapParse = { readonly ok: true; readonly element: SoapElement } | { readonly ok: false; readonly reason: string; readonly fault?: SoapFault };

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  // Attributes are read only for xsi:nil; the prefix is dropped with removeNSPrefix.
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

/** The first element inside soap:Body (a request, for the simulator), with its children as fields. */
export function parseSoapBody(xml: string): SoapParse {
  const body = parseSoapBodyNode(xml);
  return body.ok ? readFields(body.node) : body;
}

interface NamedNode {
  readonly name: string;
  readonly raw: unknown;
  readonly children: NamedNode[];
  readonly nil: boolean;
}

function isNil(item: OrderedNode): boolean {
  const attributes = item[':@'];
  if (typeof attributes !== 'object' || attributes === null) return false;
  const nil = (attributes as Record<string, unknown>)['@_nil'];
  return typeof nil === 'string' && nil.trim() === 'true';
}

function childElements(value: unknown): NamedNode[] {
  if (!Array.isArray(value)) return [];
  const nodes: NamedNode[] = [];
  for (const item of value as OrderedNode[]) {
    const name = Object.keys(item).find((key) => key !== ':@' && key !== '#text');
    if (name === undefined) continue;
    nodes.push({ name, raw: item[name], children: childElements(item[name]), nil: isNil(item) });
  }
  return nodes;
}

function textOf(raw: unknown): string {
  if (!Array.isArray(raw)) return '';
  return (raw as OrderedNode[]).map((item) => (typeof item['#text'] === 'string' ? item['#text'] : '')).join('');
}

function readFields(element: NamedNode): SoapParse {
  const fields: Array<readonly [string, string]> = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const child of element.children) {
    if (child.children.length > 0) return { ok: false, reason: `element ${child.name} has nested elements where a value was expected` };
    if (seen.has(child.name)) return { ok: false, reason: `element ${child.name} appears twice` };
    seen.add(child.name);
    names.push(child.name);
    if (!child.nil) fields.push([child.name, textOf(child.raw)]);
  }
  return { ok: true, element: { name: element.name, fields, names } };
}

/** For a response: the <XResult> inside <XResponse>, read the same way. */
export function parseSoapResponse(xml: string, method: string): SoapParse {
  const body = parseSoapBodyNode(xml);
  if (!body.ok) return body;
  if (body.node.name !== `${method}Response`) return { ok: false, reason: `expected ${method}Response, got ${body.node.name}` };
  const result = body.node.children.find((node) => node.name === `${method}Result`);
  if (!result) return { ok: false, reason: `no ${method}Result inside ${method}Response` };
  return readFields(result);
}

function parseSoapBodyNode(xml: string): { ok: true; node: NamedNode } | { ok: false; reason: string; fault?: SoapFault } {
  if (DECLARATIONS.test(xml)) return { ok: false, reason: 'the message contains a DOCTYPE or entity declaration' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` };
  let document: unknown;
  try {
    document = parser.parse(xml);
  } catch (error) {
    return { ok: false, reason: `not well-formed XML: ${error instanceof Error ? error.message : 'parse error'}` };
  }
  const envelope = childElements(document).find((node) => node.name === 'Envelope');
  if (!envelope) return { ok: false, reason: 'no SOAP Envelope' };
  const body = envelope.children.find((node) => node.name === 'Body');
  if (!body) return { ok: false, reason: 'no SOAP Body' };
  const first = body.children[0];
  if (!first) return { ok: false, reason: 'the SOAP Body is empty' };
  if (first.name === 'Fault') {
    const faultString = first.children.find((node) => node.name === 'faultstring');
    const faultCode = first.children.find((node) => node.name === 'faultcode');
    const fault = { code: faultCode ? textOf(faultCode.raw).trim() : '', text: faultString ? textOf(faultString.raw).trim() : '' };
    return { ok: false, reason: `SOAP Fault${fault.code ? ` ${fault.code}` : ''}: ${fault.text || 'no faultstring'}`, fault };
  }
  return { ok: true, node: first };
}
