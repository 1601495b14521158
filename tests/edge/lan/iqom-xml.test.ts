import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommand, parseAnswer, XmlDocumentFramer } from '../../../edge/core/lan/iqom-xml.js';

const encode = (text: string) => new TextEncoder().encode(text);

describe('iqom Payment Interface messages', () => {
  it('sends the documented request tags, amounts in the wire format, values escaped', () => {
    expect(buildCommand({ kind: 'pay', invoice: 'INV<7>&', amountCents: 1234 }, { receipt: 'ON', custrcpt: 'OFF' })).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<pay><invoice>INV&lt;7&gt;&amp;</invoice><sum>12.34</sum><receipt>ON</receipt><custrcpt>OFF</custrcpt></pay>\n',
    );
    expect(buildCommand({ kind: 'preauthcompletion', preauthCode: '123456', amountCents: 500 })).toContain('<preauthcompletion><preauthcode>123456</preauthcode><sum>5.00</sum>');
    expect(buildCommand({ kind: 'preauthcancel', preauthCode: '123456' })).toContain('<preauthcancel><preauthcode>123456</preauthcode><receipt>OFF</receipt><custrcpt>AFTER_CONFIRMATION</custrcpt></preauthcancel>');
  });

  it.each([
    ['pay', '<payresp>\n  <result>OK</result>\n  <ref>REF1</ref>\n</payresp>', { kind: 'ok', ref: 'REF1' }],
    ['refund', '<refundresp><result>OK</result><ref> R2 </ref></refundresp>', { kind: 'ok', ref: 'R2' }],
    ['preauth', '<preauthresp><result>OK</result><ref>654321</ref></preauthresp>', { kind: 'ok', ref: '654321' }],
    ['preauthcompletion', '<preautcompletionresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</preautcompletionresp >', { kind: 'ok', ref: 'REF' }],
    ['preauthcompletion', '< preautcompletionhresp >\n  <result>ERROR</result>\n  <status>3</status>\n  <status_text>TRANSACTION_FAILED</status_text>\n  <ref></ref>\n</ preautcompletionhresp >', { kind: 'error', status: '3', statusText: 'TRANSACTION_FAILED', ref: '' }],
    ['preauthcancel', '<preautcancelresp><result>OK</result><ref>X</ref></preautcancelresp >', { kind: 'ok', ref: 'X' }],
    ['pay', '<payresp><result>ERROR</result><status>3</status><status_text>TRANSACTION_FAILED</status_text><ref></ref></payresp>', { kind: 'error', status: '3', statusText: 'TRANSACTION_FAILED', ref: '' }],
    ['refund', '<payresp>\n  <result>ERROR</result>\n  <ref>Hibás XML</ref>\n</payresp>', { kind: 'malformed_request', text: 'Hibás XML' }],
    ['pay', '<refundresp><result>OK</result><ref>R</ref></refundresp>', { kind: 'unreadable' }],
    ['pay', 'OK?', { kind: 'unreadable' }],
    ['pay', '<!DOCTYPE x [<!ENTITY a "b">]><payresp><result>OK</result><ref>&a;</ref></payresp>', { kind: 'unreadable' }],
  ] as const)('reads a <%s> answer: %j', (command, xml, expected) => {
    expect(parseAnswer(command, xml)).toMatchObject(expected);
  });

  it('cuts a stream into documents however it is chunked, UTF-8 split across chunks included', () => {
    const stream = '<?xml version="1.0"?><payresp><result>ERROR</result><ref>Hibás XML</ref></payresp>\n< preautcompletionhresp ><result>OK</result></ preautcompletionhresp >garbage line\n<refundresp><result>OK</result><ref>9</ref></refundresp>';
    const bytes = encode(stream);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
        const framer = new XmlDocumentFramer();
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const documents = points.slice(1).flatMap((end, index) => framer.push(bytes.slice(points[index], end)));
        expect(documents).toEqual([
          '<?xml version="1.0"?><payresp><result>ERROR</result><ref>Hibás XML</ref></payresp>',
          '< preautcompletionhresp ><result>OK</result></ preautcompletionhresp >',
          'garbage line',
          '<refundresp><result>OK</result><ref>9</ref></refundresp>',
        ]);
        expect(framer.pending).toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a message that never ends, instead of buffering without limit', () => {
    const framer = new XmlDocumentFramer(1000);
    expect(() => framer.push(encode(`<payresp>${'x'.repeat(2000)}`))).toThrow(/over 1000 characters/);
  });
});
