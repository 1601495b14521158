import { parseAnswer, RESPONSE_ROOTS, XmlDocumentFramer, type IqomCommand } from '../../edge/core/lan/iqom-xml.js';
import { mutate, prng } from './mutate.js';

// Fuzzes the iqom Payment Interface reader — the framer and the answer parser — with mutations of
// every documented answer, cut into random chunks. A crash is any throw but the framer's own size
// cap; a wrong "ok" is an OK read from an answer whose root belongs to another command.

const SEEDS: ReadonlyArray<readonly [IqomCommand['kind'], string]> = [
  ['pay', '<payresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</payresp>'],
  ['pay', '<payresp>\n  <result>ERROR</result>\n  <status>3</status>\n  <status_text>TRANSACTION_FAILED</status_text>\n  <ref></ref>\n</payresp>'],
  ['refund', '<refundresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</refundresp>'],
  ['preauth', '<preauthresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</preauthresp>'],
  ['preauthcompletion', '<preautcompletionresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</preautcompletionresp >'],
  ['preauthcompletion', '< preautcompletionhresp >\n  <result>ERROR</result>\n  <status>3</status>\n  <status_text>TRANSACTION_FAILED</status_text>\n  <ref></ref>\n</ preautcompletionhresp >'],
  ['preauthcancel', '<preautcancelresp>\n  <result>OK</result>\n  <ref>REF</ref>\n</preautcancelresp >'],
  ['pay', '<payresp>\n  <result>ERROR</result>\n  <ref>Hibás XML</ref>\n</payresp>'],
];

export interface IqomFuzzResult {
  readonly cases: number;
  readonly crashes: number;
  readonly wrongOk: number;
  readonly documents: number;
}

export function iqomFuzz(cases: number, seed: number): IqomFuzzResult {
  const random = prng(seed);
  const encoder = new TextEncoder();
  let crashes = 0;
  let wrongOk = 0;
  let documents = 0;
  for (let i = 0; i < cases; i += 1) {
    const [command, answer] = SEEDS[Math.floor(random() * SEEDS.length)] ?? SEEDS[0] ?? ['pay', ''];
    const text = mutate(answer, random);
    try {
      const framer = new XmlDocumentFramer(4096);
      const bytes = encoder.encode(text);
      const found: string[] = [];
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 32);
        try {
          found.push(...framer.push(bytes.slice(at, at + size)));
        } catch (error) {
          if (!(error instanceof Error && error.message.includes('characters'))) throw error;
        }
        at += size;
      }
      for (const document of [...found, text]) {
        documents += 1;
        const parsed = parseAnswer(command, document);
        const root = /<\s*([A-Za-z_][\w.-]*)/.exec(document.replace(/^\s*<\?xml[^>]*\?>/, ''))?.[1]?.toLowerCase();
        if (parsed.kind === 'ok' && (!root || !RESPONSE_ROOTS[command].includes(root))) wrongOk += 1;
      }
    } catch {
      crashes += 1;
    }
  }
  return { cases, crashes, wrongOk, documents };
}
