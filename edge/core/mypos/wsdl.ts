import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { isMyposMethod, type MyposMethod } from './methods.js';
import { readTextCapped } from './transport.js';

// myPOS's WSDL (https://crr-api.mypos.com/?wsdl, the public client's src/Config.php) says what the
// documents do not: each operation's SOAPAction and each request's element sequence. Read with the
// same hardening as answers (no DOCTYPE or entity declarations, a size cap), following the
// xsd:import a WCF service splits its types into (?xsd=xsd0, …), on the same host only.

export const WSDL_MAX_BYTES = 1024 * 1024;
const MAX_DOCUMENTS = 6;

export interface WsdlReading {
  /** Where the WSDL was read. */
  readonly url: string;
  readonly soapActions: Readonly<Partial<Record<MyposMethod, string>>>;
  readonly sequences: Readonly<Partial<Record<MyposMethod, readonly string[]>>>;
}

export type WsdlResult = { readonly ok: true; readonly wsdl: WsdlReading } | { readonly ok: false; readonly tried: readonly string[]; readonly reason: string };

interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const DECLARATIONS = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i;

function toNodes(value: unknown): XmlNode[] {
  if (!Array.isArray(value)) return [];
  const nodes: XmlNode[] = [];
  for (const item of value as Array<Record<string, unknown>>) {
    const name = Object.keys(item).find((key) => key !== ':@' && key !== '#text');
    if (name === undefined) continue;
    const raw = item[':@'];
    const attributes: Record<string, string> = {};
    if (typeof raw === 'object' && raw !== null) {
      for (const [key, attribute] of Object.entries(raw)) if (typeof attribute === 'string') attributes[key] = attribute;
    }
    nodes.push({ name, attributes, children: toNodes(item[name]) });
  }
  return nodes;
}

function parseXml(text: string): XmlNode[] | string {
  if (DECLARATIONS.test(text)) return 'it contains a DOCTYPE or entity declaration';
  const valid = XMLValidator.validate(text);
  if (valid !== true) return `not well-formed XML: ${valid.err.msg}`;
  try {
    return toNodes(parser.parse(text));
  } catch (error) {
    return `not well-formed XML: ${error instanceof Error ? error.message : 'parse error'}`;
  }
}

function* walk(nodes: readonly XmlNode[]): Generator<XmlNode> {
  for (const node of nodes) {
    yield node;
    yield* walk(node.children);
  }
}

/** A QName's local part: "tns:MPRPurchase" is "MPRPurchase". */
function localName(qname: string | undefined): string {
  return (qname ?? '').split(':').pop() ?? '';
}

/** SOAPAction per operation, from the binding's soap:operation (SOAP 1.1 or 1.2). */
function soapActionsOf(nodes: readonly XmlNode[]): Partial<Record<MyposMethod, string>> {
  const actions: Partial<Record<MyposMethod, string>> = {};
  for (const binding of walk(nodes)) {
    if (binding.name !== 'binding') continue;
    for (const operation of binding.children) {
      const name = operation.attributes.name;
      if (operation.name !== 'operation' || name === undefined || !isMyposMethod(name)) continue;
      const soap = operation.children.find((child) => child.name === 'operation' && child.attributes.soapAction !== undefined);
      if (soap?.attributes.soapAction !== undefined && actions[name] === undefined) actions[name] = soap.attributes.soapAction;
    }
  }
  return actions;
}

/** Each request element's child sequence (document/literal wrapped: the element named as the operation). */
function sequencesOf(nodes: readonly XmlNode[]): Partial<Record<MyposMethod, string[]>> {
  const sequences: Partial<Record<MyposMethod, string[]>> = {};
  for (const element of walk(nodes)) {
    const name = element.attributes.name;
    if (element.name !== 'element' || name === undefined || !isMyposMethod(name) || sequences[name]) continue;
    const sequence = [...walk(element.children)].find((node) => node.name === 'sequence');
    if (!sequence) continue;
    sequences[name] = sequence.children.filter((child) => child.name === 'element').map((child) => child.attributes.name ?? localName(child.attributes.ref));
  }
  return sequences;
}

function importsOf(nodes: readonly XmlNode[]): string[] {
  const locations: string[] = [];
  for (const node of walk(nodes)) {
    const location = node.attributes.schemaLocation ?? (node.name === 'import' ? node.attributes.location : undefined);
    if ((node.name === 'import' || node.name === 'include') && location) locations.push(location);
  }
  return locations;
}

/** The WSDL addresses to try for an endpoint: the service root's, then the endpoint's own. */
export function wsdlUrls(endpoint: string): string[] {
  const url = new URL(endpoint);
  return [...new Set([`${url.origin}/?wsdl`, `${url.origin}${url.pathname}?wsdl`])];
}

async function fetchText(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(url, { signal: controller.signal, redirect: 'manual' });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    if (/html/i.test(response.headers.get('content-type') ?? '')) {
      await response.body?.cancel();
      throw new Error('an HTML page, not a WSDL');
    }
    return await readTextCapped(response.body, WSDL_MAX_BYTES);
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function readFrom(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<WsdlReading> {
  const host = new URL(url).host;
  const queue = [url];
  const seen = new Set<string>();
  const documents: XmlNode[] = [];
  while (queue.length > 0 && seen.size < MAX_DOCUMENTS) {
    const next = queue.shift() ?? '';
    if (seen.has(next)) continue;
    seen.add(next);
    const parsed = parseXml(await fetchText(fetchImpl, next, timeoutMs));
    if (typeof parsed === 'string') throw new Error(next === url ? parsed : `${next}: ${parsed}`);
    documents.push(...parsed);
    for (const location of importsOf(parsed)) {
      const resolved = new URL(location, next);
      // Types from another host are not followed: the WSDL is trusted for its own service only.
      if (resolved.host === host) queue.push(resolved.toString());
    }
  }
  const soapActions = soapActionsOf(documents);
  if (Object.keys(soapActions).length === 0) throw new Error('no myPOS operation with a soapAction');
  return { url, soapActions, sequences: sequencesOf(documents) };
}

/** Reads the WSDL of an endpoint, or says why it could not; never throws. */
export async function readWsdl(endpoint: string, fetchImpl: typeof fetch = fetch, timeoutMs = 5_000): Promise<WsdlResult> {
  const tried = wsdlUrls(endpoint);
  const reasons: string[] = [];
  for (const url of tried) {
    try {
      return { ok: true, wsdl: await readFrom(fetchImpl, url, timeoutMs) };
    } catch (error) {
      reasons.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { ok: false, tried, reason: reasons.join('; ') };
}
