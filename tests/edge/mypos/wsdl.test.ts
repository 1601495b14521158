import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { readWsdl, WSDL_MAX_BYTES, wsdlUrls } from '../../../edge/core/mypos/wsdl.js';

// A WSDL laid out as a WCF service writes it: the types in a schema imported from ?xsd=xsd0, the
// SOAPAction on each binding operation. Written here by hand, apart from the simulator's.

const schema = `<?xml version="1.0" encoding="utf-8"?>
<xs:schema elementFormDefault="qualified" targetNamespace="urnIPayService" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="MPRGetTxnStatus"><xs:complexType><xs:sequence>
    <xs:element minOccurs="0" name="key_index" type="xs:int"/>
    <xs:element minOccurs="0" name="version" nillable="true" type="xs:string"/>
    <xs:element minOccurs="0" name="login" nillable="true" type="xs:string"/>
    <xs:element minOccurs="0" name="tid" nillable="true" type="xs:string"/>
    <xs:element minOccurs="0" name="ruid" nillable="true" type="xs:string"/>
    <xs:element minOccurs="0" name="ruid_original" nillable="true" type="xs:string"/>
    <xs:element minOccurs="0" name="signature" nillable="true" type="xs:string"/>
  </xs:sequence></xs:complexType></xs:element>
  <xs:element name="MPRGetTxnStatusResponse"><xs:complexType><xs:sequence><xs:element minOccurs="0" name="MPRGetTxnStatusResult" nillable="true" type="xs:anyType"/></xs:sequence></xs:complexType></xs:element>
</xs:schema>`;

const wsdl = (base: string) => `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="PayService" targetNamespace="urnIPayService" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urnIPayService" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <wsdl:types><xsd:schema targetNamespace="urnIPayService/Imports"><xsd:import schemaLocation="${base}/?xsd=xsd0" namespace="urnIPayService"/></xsd:schema></wsdl:types>
  <wsdl:message name="IPayService_MPRGetTxnStatus_InputMessage"><wsdl:part name="parameters" element="tns:MPRGetTxnStatus"/></wsdl:message>
  <wsdl:portType name="IPayService"><wsdl:operation name="MPRGetTxnStatus"><wsdl:input message="tns:IPayService_MPRGetTxnStatus_InputMessage"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="BasicHttpBinding_IPayService" type="tns:IPayService">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="MPRGetTxnStatus"><soap:operation soapAction="urnIPayService/IPayService/MPRGetTxnStatus" style="document"/></wsdl:operation>
    <wsdl:operation name="SomethingElse"><soap:operation soapAction="urnIPayService/IPayService/SomethingElse" style="document"/></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>`;

let server: ServerType | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function serveApp(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`));
  });
}

const xml = (body: string) => new Response(body, { headers: { 'content-type': 'text/xml; charset=utf-8' } });

describe('reading the WSDL', () => {
  it('follows the xsd:import and reads each operation’s SOAPAction and element sequence', async () => {
    const app = new Hono();
    let base = '';
    app.get('/', (c) => (c.req.query('xsd') === 'xsd0' ? xml(schema) : c.req.query('wsdl') !== undefined ? xml(wsdl(base)) : c.text('', 404)));
    base = await serveApp(app);
    const result = await readWsdl(`${base}/infromhttp`);
    if (!result.ok) throw new Error(result.reason);
    expect(result.wsdl.url).toBe(`${base}/?wsdl`);
    expect(result.wsdl.soapActions).toEqual({ MPRGetTxnStatus: 'urnIPayService/IPayService/MPRGetTxnStatus' });
    expect(result.wsdl.sequences.MPRGetTxnStatus).toEqual(['key_index', 'version', 'login', 'tid', 'ruid', 'ruid_original', 'signature']);
  });

  it('tries the endpoint’s own ?wsdl when the root has none', async () => {
    const app = new Hono();
    let base = '';
    app.get('/', (c) => (c.req.query('xsd') === 'xsd0' ? xml(schema) : c.text('', 404)));
    app.get('/infromhttp', (c) => xml(wsdl(base)));
    base = await serveApp(app);
    expect(wsdlUrls(`${base}/infromhttp`)).toEqual([`${base}/?wsdl`, `${base}/infromhttp?wsdl`]);
    const result = await readWsdl(`${base}/infromhttp`);
    expect(result.ok && result.wsdl.url).toBe(`${base}/infromhttp?wsdl`);
  });

  it('refuses a DOCTYPE, an HTML page, an oversized document, and never follows an import to another host', async () => {
    const app = new Hono();
    let mode = 'doctype';
    let base = '';
    app.get('/', (c) => {
      if (c.req.query('xsd') === 'xsd0') return xml(schema);
      if (mode === 'doctype') return xml(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${wsdl(base)}`);
      if (mode === 'html') return c.html('<html><body>hello</body></html>');
      if (mode === 'huge') return xml(`<a>${'x'.repeat(WSDL_MAX_BYTES + 10)}</a>`);
      return xml(wsdl('http://elsewhere.invalid'));
    });
    base = await serveApp(app);
    const endpoint = `${base}/`;
    const doctype = await readWsdl(endpoint);
    expect(!doctype.ok && doctype.reason).toMatch(/DOCTYPE/);
    mode = 'html';
    const html = await readWsdl(endpoint);
    expect(!html.ok && html.reason).toMatch(/HTML page/);
    mode = 'huge';
    const huge = await readWsdl(endpoint);
    expect(!huge.ok && huge.reason).toMatch(/larger than/);
    mode = 'foreign';
    // The SOAPAction is read; the types on another host are not fetched, so no sequence.
    const foreign = await readWsdl(endpoint);
    expect(foreign.ok && foreign.wsdl.soapActions.MPRGetTxnStatus).toBe('urnIPayService/IPayService/MPRGetTxnStatus');
    expect(foreign.ok && foreign.wsdl.sequences).toEqual({});
  });

  it('says why when nothing answers, without throwing', async () => {
    const result = await readWsdl('http://127.0.0.1:9/infromhttp', fetch, 1_000);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.tried).toEqual(['http://127.0.0.1:9/?wsdl', 'http://127.0.0.1:9/infromhttp?wsdl']);
  });
});
