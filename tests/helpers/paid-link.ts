import type { Payment } from '../../shared/payments.js';
import { newRuid } from '../../shared/ruid.js';
import type { EdgeHarness } from './edge-harness.js';

const APPROVE = '4111111111111111';
const unescape = (value: string) => value.replaceAll('&#38;', '&').replaceAll('&#34;', '"').replaceAll('&#39;', "'").replaceAll('&#60;', '<').replaceAll('&#62;', '>');

/**
 * A link the customer pays (as tests/edge/service/checkouts.test.ts does it): the edge makes it,
 * the customer presses Pay on its page (a POST to the link, which signs the form to myPOS), posts
 * that form to the simulator's page and pays with a card that approves. Answers the approved
 * payment's RUID. simUrl: the simulator's, when it runs apart from the edge (live mode).
 */
export async function paidLink(h: EdgeHarness, amount: string, simUrl: string = h.simUrl): Promise<string> {
  const created = await h.api<{ payment: Payment; checkout: { url: string } }>('POST', '/api/checkouts', { ruid: newRuid(), amount });
  if (created.status !== 202) throw new Error(`checkout answered ${created.status}`);
  const page = await (await fetch(created.body.checkout.url, { method: 'POST' })).text();
  const action = unescape(/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '');
  const fields = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((match) => [match[1] ?? '', unescape(match[2] ?? '')]);
  await fetch(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  await fetch(`${simUrl}/sim/checkouts/${created.body.payment.ruid}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: APPROVE }) });
  await h.waitFor(created.body.payment.ruid, ['approved']);
  return created.body.payment.ruid;
}
