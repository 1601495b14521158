import { MYPOS_NS, SOAP_NS, type MyposMethod } from './methods.js';
import { renderElements } from './xml.js';

/** A request's elements in the order they are sent and signed (signature excluded). */
export type OrderedFields = ReadonlyArray<readonly [string, string]>;

export function buildRequestEnvelope(method: MyposMethod, fields: OrderedFields, signature: string): string {
  const body = renderElements('urn', [...fields, ['signature', signature]]);
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_NS}"><soapenv:Body>` +
    `<urn:${method} xmlns:urn="${MYPOS_NS}">${body}</urn:${method}>` +
    `</soapenv:Body></soapenv:Envelope>`
  );
}
