import { formatCents } from '../../../shared/money.js';
import type { IpcFields } from '../../core/ipc/signing.js';
import { TEST_CARDS } from './cards.js';
import type { Checkout } from './checkout-types.js';
import type { IpcError } from './wire.js';

// The customer's pages, server-rendered, no external assets, for a phone (390 x 844 and up): the
// checkout (the store, the amount, the cart, a card number, Pay and Cancel, the test cards), the
// bank's 3-D Secure challenge, the result that carries the customer back to the store (a form POST
// with the signed fields), and myPOS's error page for a request it refused (the handbook's
// Appendix I note: the cart page is not shown, only a general message).

export const SESSION_PATH = '/vmp/checkout/s';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const money = (checkout: Checkout) => `${formatCents(checkout.amountCents)} ${checkout.currency}`;
const groups = (number: string) => number.replace(/(.{4})(?=.)/g, '$1 ');

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
*{box-sizing:border-box}body{font:17px/1.4 system-ui,sans-serif;margin:0;color:#14213d;background:#eef2f7}
main{max-width:30rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:14px;padding:1.1rem;box-shadow:0 1px 4px #0002;margin-bottom:1rem}
.store{margin:0;color:#475569;font-weight:600}h1{margin:.2rem 0 .6rem;font-size:1.7rem}.muted{color:#64748b;font-size:.9rem;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse}td{padding:.35rem 0;border-bottom:1px solid #e2e8f0;vertical-align:top}td.num{text-align:right;white-space:nowrap}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input{width:100%;font-size:1.2rem;padding:.65rem;border:1px solid #94a3b8;border-radius:8px}
.row{display:flex;gap:.6rem}.row>div{flex:1}button{width:100%;font-size:1.1rem;min-height:48px;border-radius:10px;border:0;margin-top:.7rem;cursor:pointer}
.pay{background:#0f766e;color:#fff;font-weight:700}.cancel{background:#e2e8f0;color:#14213d}.error{color:#b91c1c;font-weight:600}
.test button{width:auto;min-height:40px;margin:.2rem .4rem .2rem 0;padding:0 .7rem;background:#e0f2fe;font:1rem monospace}.test ul{list-style:none;padding:0}.test li{margin:.5rem 0}.test li span{display:block;font-size:.95rem}
.ok{color:#0f766e}.bad{color:#b91c1c}
</style></head><body><main>${body}</main></body></html>`;
}

function summary(checkout: Checkout, storeName: string): string {
  const lines = checkout.lines
    .map((line) => `<tr><td>${escapeHtml(line.article)}<div class="muted">${escapeHtml(line.quantity)} × ${escapeHtml(line.price)}</div></td><td class="num">${escapeHtml(line.amount)} ${escapeHtml(line.currency)}</td></tr>`)
    .join('');
  const note = checkout.note ? `<p class="muted">${escapeHtml(checkout.note)}</p>` : '';
  return `<section class="card"><p class="store">${escapeHtml(storeName)}</p><h1 id="amount">${money(checkout)}</h1>
<p class="muted">Order ${escapeHtml(checkout.orderId)}</p><table>${lines}</table>${note}</section>`;
}

export function checkoutPage(checkout: Checkout, storeName: string, error?: string): string {
  const base = `${SESSION_PATH}/${checkout.id}`;
  const cards = TEST_CARDS.map((card) => `<li><button type="button" data-card="${card.number}">${groups(card.number)}</button><span>${escapeHtml(card.description)}</span></li>`).join('');
  return layout(
    `Pay ${money(checkout)} - ${storeName}`,
    `${summary(checkout, storeName)}
<form class="card" method="post" action="${base}/pay">
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" required>
<div class="row"><div><label for="expiry">Expiry</label><input id="expiry" name="expiry" placeholder="MM/YY" autocomplete="cc-exp"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc"></div></div>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<button class="pay" type="submit">Pay ${money(checkout)}</button>
<button class="cancel" type="submit" formaction="${base}/cancel" formnovalidate>Cancel</button>
</form>
<section class="card test"><strong>Test cards (myPOS simulator)</strong><ul>${cards}</ul><p class="muted">Any other valid card number is approved, as in myPOS's test environment.</p></section>
<script>for (const b of document.querySelectorAll('[data-card]')) b.onclick = () => { document.getElementById('card').value = b.dataset.card; };</script>`,
  );
}

export function challengePage(checkout: Checkout, storeName: string): string {
  const base = `${SESSION_PATH}/${checkout.id}`;
  return layout(
    '3-D Secure',
    `<section class="card"><p class="store">Your bank · 3-D Secure</p><h1>Confirm ${money(checkout)}</h1>
<p>To ${escapeHtml(storeName)} with your ${escapeHtml(checkout.card?.brand ?? 'card')} ending ${escapeHtml(checkout.card?.last4 ?? '')}.</p>
<p class="muted">A code was sent to your phone. Simulator: the code is <strong id="code">${escapeHtml(checkout.challengeCode ?? '')}</strong>.</p></section>
<form class="card" method="post" action="${base}/3ds"><label for="otp">Code</label><input id="otp" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<button class="pay" type="submit">Confirm</button><button class="cancel" type="submit" formaction="${base}/cancel" formnovalidate>Cancel</button></form>`,
  );
}

/** The outcome, then back to the store: a form POST with the signed fields, sent by itself after a moment. */
export function resultPage(checkout: Checkout, storeName: string, back: { readonly url: string; readonly fields: IpcFields } | undefined): string {
  const titles: Record<string, [string, string]> = {
    paid: ['ok', 'Payment approved'],
    reversed: ['bad', 'Payment reversed'],
    declined: ['bad', checkout.declineReason ?? 'Payment declined'],
    cancelled: ['bad', 'Payment cancelled'],
    expired: ['bad', 'This payment link has expired'],
  };
  const [tone, title] = titles[checkout.state] ?? ['bad', checkout.state];
  const inputs = back?.fields.map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n') ?? '';
  const form = back
    ? `<form id="back" method="post" action="${escapeHtml(back.url)}">${inputs}<button class="pay" type="submit">Return to ${escapeHtml(storeName)}</button></form>
<script>setTimeout(() => document.getElementById('back').submit(), 1500);</script>`
    : '';
  return layout(title, `${summary(checkout, storeName)}<section class="card" data-state="${checkout.state}"><h1 class="${tone}">${escapeHtml(title)}</h1>${form}</section>`);
}

/** myPOS's page for a refused IPCPurchase; the simulator adds the status it would have answered. */
export function errorPage(storeName: string, error: IpcError, backUrl?: string): string {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">« Return to ${escapeHtml(storeName)}</a></p>` : '';
  return layout(
    'Payment error',
    `<section class="card" data-ipc-status="${escapeHtml(error.status)}"><h1 class="bad">Something went wrong</h1>
<p>${escapeHtml(storeName)} has sent a shopping cart with errors in it.</p>
<p>We will contact the Merchant with a request to fix this problem. As this could be a temporary issue, you can go back to try checking out again.</p>${back}
<p class="muted">Simulator: Status ${escapeHtml(error.status)}, ${escapeHtml(error.message)}</p></section>`,
  );
}

export function notFoundPage(): string {
  return layout('Checkout not found', '<section class="card"><h1 class="bad">Checkout not found</h1><p>This payment page does not exist, or the store sent a new one.</p></section>');
}
