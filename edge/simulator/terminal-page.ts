import { DEFAULT_OUTCOME, OUTCOME_TABLE } from './outcomes.js';

// A page to act as the cardholder and the cashier at the virtual terminals: press O, present a
// card, enter the PIN, type the subscription code, take a terminal offline.

export function terminalPage(): string {
  const rows = [...OUTCOME_TABLE, DEFAULT_OUTCOME].map((row) => `<tr><td>${row.cents}</td><td>${row.description}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>myPOS simulator: virtual terminals</title>
<style>
body{font:16px system-ui,sans-serif;margin:1rem;max-width:60rem;color:#111}
.terminal{border:2px solid #333;border-radius:12px;padding:1rem;margin:1rem 0}
.screen{background:#0b3d2e;color:#e8fff4;font:1.25rem monospace;padding:1rem;border-radius:8px;min-height:3rem}
button{font-size:1rem;padding:.6rem 1rem;margin:.25rem;min-height:44px}
table{border-collapse:collapse}td{border:1px solid #ccc;padding:.25rem .5rem}
</style></head><body>
<h1>myPOS simulator</h1>
<p>Each box is a virtual terminal. In <b>auto</b> mode it presses O and reads a card by itself; in <b>manual</b> mode use the buttons.</p>
<p id="profile"></p>
<div id="terminals" aria-live="polite"></div>
<h2>Outcome by the amount's cents</h2><table>${rows}</table>
<script type="module">
const root = document.getElementById('terminals');
const post = (path, body) => fetch('/sim' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then(refresh);
function screen(t, txns) {
  if (!t.online) return 'OFFLINE';
  if (t.code) return 'Code requested: ' + t.code;
  if (t.subscription !== 'subscribed') return 'Standalone mode';
  const txn = txns.find((x) => x.ruid === t.pending);
  if (!txn) return 'Cash register mode - ready';
  const amount = (txn.amountCents / 100).toFixed(2) + ' ' + t.currency;
  return ({ awaiting_confirmation: 'Payment request ' + amount + ' - press O', awaiting_card: 'Present card ' + amount, pin: 'Enter PIN (' + txn.pinCode + ')' })[txn.phase] ?? txn.phase;
}
function button(label, action) { const b = document.createElement('button'); b.textContent = label; b.onclick = action; return b; }
async function refresh() {
  const state = await (await fetch('/sim/state')).json();
  document.getElementById('profile').textContent = 'Protocol profile: ' + state.settings.profile + (state.settings.profile === 'wcf' ? ' (WSDL at /?wsdl)' : ' (the documents)');
  root.replaceChildren(...state.terminals.map((t) => {
    const box = document.createElement('section'); box.className = 'terminal';
    const h = document.createElement('h2'); h.textContent = 'TID ' + t.tid + ' (' + t.currency + ', ' + t.mode + ')';
    const s = document.createElement('div'); s.className = 'screen'; s.textContent = screen(t, state.transactions);
    box.append(h, s,
      button('O', () => post('/terminals/' + t.tid + '/press-o')),
      button('Card: approve', () => post('/terminals/' + t.tid + '/card', { outcome: 'approve' })),
      button('Card: decline', () => post('/terminals/' + t.tid + '/card', { outcome: 'decline' })),
      button('Card: PIN', () => post('/terminals/' + t.tid + '/card', { outcome: 'pin' })),
      button('Enter PIN', () => post('/terminals/' + t.tid + '/pin', { correct: true })),
      button('Cancel', () => post('/terminals/' + t.tid + '/cancel')),
      button('Confirm code', () => post('/terminals/' + t.tid + '/code', { code: t.code })),
      button(t.online ? 'Go offline' : 'Go online', () => post('/terminals/' + t.tid + '/online', { online: !t.online })),
      button(t.mode === 'auto' ? 'Manual mode' : 'Auto mode', () => post('/terminals/' + t.tid + '/mode', { mode: t.mode === 'auto' ? 'manual' : 'auto' })));
    return box;
  }));
}
refresh(); setInterval(refresh, 1000);
</script></body></html>`;
}
