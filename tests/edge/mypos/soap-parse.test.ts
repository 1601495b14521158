import { describe, expect, it } from 'vitest';
import { parseSoapBody, parseSoapResponse } from '../../../edge/core/mypos/soap-parse.js';

const response = (inner: string, method = 'MPRGetTxnStatus') =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><${method}Response xmlns:urn="urnIPayService">` +
  `<${method}Result xmlns:a="http://schemas.datacontract.org/2004/07/iPay.Core">${inner}</${method}Result></${method}Response></s:Body></s:Envelope>`;

describe('SOAP response parsing', () => {
  it('keeps every value a string, in the order received', () => {
    const parsed = parseSoapResponse(
      response('<a:tid>00012345</a:tid><a:amount>23.40</a:amount><a:status>1A</a:status><a:response_code>55</a:response_code><a:status_msg>OK</a:status_msg>'),
      'MPRGetTxnStatus',
    );
    expect(parsed).toEqual({
      ok: true,
      element: {
        name: 'MPRGetTxnStatusResult',
        fields: [
          ['tid', '00012345'],
          ['amount', '23.40'],
          ['status', '1A'],
          ['response_code', '55'],
          ['status_msg', 'OK'],
        ],
        names: ['tid', 'amount', 'status', 'response_code', 'status_msg'],
      },
    });
  });

  it('reads an i:nil element as absent, keeping its name in the layout', () => {
    const purchase = parseSoapResponse(
      response('<a:amount>1.00</a:amount><a:reference_number i:nil="true" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/><a:reference_number_type>0</a:reference_number_type><a:status>0</a:status>', 'MPRPurchase'),
      'MPRPurchase',
    );
    expect(purchase.ok && purchase.element.fields).toEqual([
      ['amount', '1.00'],
      ['reference_number_type', '0'],
      ['status', '0'],
    ]);
    expect(purchase.ok && purchase.element.names).toEqual(['amount', 'reference_number', 'reference_number_type', 'status']);
  });

  it('decodes the XML escapes and keeps empty elements as empty strings', () => {
    const parsed = parseSoapResponse(response('<a:reference_number>A&amp;B &lt;1&gt;</a:reference_number><a:aid_name/><a:status>0</a:status>'), 'MPRGetTxnStatus');
    expect(parsed.ok && parsed.element.fields).toEqual([
      ['reference_number', 'A&B <1>'],
      ['aid_name', ''],
      ['status', '0'],
    ]);
  });

  it('reads the documented example with pretty-printing and a wrapped signature', () => {
    const xml = `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <MPRSubscribeResponse xmlns:urn="urnIPayService">
      <MPRSubscribeResult xmlns:a="http://schemas.datacontract.org/2004/07/iPay.Core">
        <a:version>3.0</a:version>
        <a:code>78025608</a:code>
        <a:signature>
bUViE5SzWy9iYpWzxlEVO/8Yb6bvtJVn1P6/rat5NBdgJaBU7OxeRm8rxi/fW1xuekqDM06F4MbzUPnTIA/sZ1ZwlMjSTExY
5+7DqkdejN7mDgnB8zogrOfF6/P1snxuNgPRtHuJ0ZeTdTWNm9kKPGE7IadvIGtOpF+7yspfWd4=
        </a:signature>
      </MPRSubscribeResult>
    </MPRSubscribeResponse>
  </s:Body>
</s:Envelope>`;
    const parsed = parseSoapResponse(xml, 'MPRSubscribe');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.element.fields.slice(0, 2)).toEqual([
        ['version', '3.0'],
        ['code', '78025608'],
      ]);
      expect(parsed.element.fields[2]?.[1]).toContain('bUViE5SzWy9iYpWzxlEVO');
    }
  });

  it.each([
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY e "boom">]>${response('<a:status>&e;</a:status>')}`, /DOCTYPE/],
    ['an entity declaration', `<!ENTITY e SYSTEM "file:///etc/passwd">${response('<a:status>0</a:status>')}`, /DOCTYPE|entity/],
    ['truncated XML', response('<a:status>0</a:status>').slice(0, 120), /well-formed/],
    ['the wrong method', response('<a:status>0</a:status>', 'MPRPurchase'), /expected MPRGetTxnStatusResponse/],
    ['a duplicated element', response('<a:status>0</a:status><a:status>13</a:status>'), /twice/],
    ['nested elements', response('<a:status><b>0</b></a:status>'), /nested/],
    ['no envelope', '<x/>', /Envelope/],
    [
      'a SOAP fault',
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring></s:Fault></s:Body></s:Envelope>',
      /SOAP Fault s:Server: boom/,
    ],
  ])('refuses %s', (_label, xml, reason) => {
    const parsed = parseSoapResponse(xml, 'MPRGetTxnStatus');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('reads a request body for the simulator', () => {
    const parsed = parseSoapBody(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><urn:MPRPurchase xmlns:urn="urnIPayService"><urn:version>3.0</urn:version><urn:amount>0.10</urn:amount></urn:MPRPurchase></soapenv:Body></soapenv:Envelope>',
    );
    expect(parsed).toEqual({ ok: true, element: { name: 'MPRPurchase', fields: [['version', '3.0'], ['amount', '0.10']], names: ['version', 'amount'] } });
  });

  it('gives a fault’s code and text apart (a WCF service’s answer to a wrong SOAPAction)', () => {
    const parsed = parseSoapResponse(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/ws/2005/05/addressing/none">a:ActionNotSupported</faultcode><faultstring xml:lang="en-US">The message with Action \'x\' cannot be processed</faultstring></s:Fault></s:Body></s:Envelope>',
      'MPRGetTxnStatus',
    );
    expect(!parsed.ok && parsed.fault).toEqual({ code: 'a:ActionNotSupported', text: "The message with Action 'x' cannot be processed" });
  });
});
