import { Hono, type Context } from 'hono';
import { checkCurrency, checkTid } from '../../shared/validation.js';
import { isMyposMethod } from '../core/mypos/methods.js';
import { FAULT_KINDS, isFaultKind, type FaultSwitches } from './faults.js';
import { DEFAULT_OUTCOME, OUTCOME_TABLE, type CardOutcome } from './outcomes.js';
import type { SimulatorSettings } from './settings.js';
import type { SoapEndpoint } from './soap-endpoint.js';
import type { TerminalMode, VirtualTerminals } from './terminals.js';
import { bad, body } from './control-json.js';

// /sim/...: JSON endpoints that act as the person at the terminal and as the test harness.

interface ControlDeps {
  readonly settings: SimulatorSettings;
  readonly terminals: VirtualTerminals;
  readonly faults: FaultSwitches;
  readonly endpoint: SoapEndpoint;
}


export function controlApi({ settings, terminals, faults, endpoint }: ControlDeps): Hono {
  const api = new Hono();

  api.get('/state', (c) =>
    c.json({
      terminals: [...terminals.terminals.values()],
      transactions: [...terminals.txns.values()],
      ledger: terminals.ledger,
      faults: faults.list(),
      exchanges: endpoint.exchanges.slice(-200),
      settings: { duplicateMode: settings.duplicateMode, pinCodeIn: settings.pinCodeIn, timeScale: settings.timeScale, profile: settings.profile },
      outcomes: [...OUTCOME_TABLE, DEFAULT_OUTCOME],
    }),
  );

  api.get('/ledger', (c) => c.json(terminals.ledger));

  api.post('/reset', (c) => {
    terminals.reset();
    faults.clear();
    endpoint.reset();
    for (const seed of settings.terminals) terminals.addTerminal(seed);
    return c.json({ ok: true });
  });

  api.post('/terminals', async (c) => {
    const input = await body(c);
    const tid = checkTid(String(input.tid ?? ''));
    if (!tid.ok) return bad(c, tid.error.field, tid.error.rule, tid.error.message);
    const currency = checkCurrency(String(input.currency ?? 'EUR'));
    if (!currency.ok) return bad(c, currency.error.field, currency.error.rule, currency.error.message);
    const mode = input.mode === 'manual' ? 'manual' : 'auto';
    return c.json(terminals.addTerminal({ tid: tid.value, currency: currency.value, subscribed: input.subscribed === true, mode, online: input.online !== false }), 201);
  });

  // One terminal and the request it is busy with (with its times: request, PIN prompt, final).
  api.get('/terminals/:tid', (c) => {
    const tid = c.req.param('tid');
    const terminal = terminals.terminals.get(tid);
    if (!terminal) return c.json({ error: { field: 'tid', rule: 'exists', message: `no terminal ${tid}` } }, 404);
    return c.json({ terminal, pending: terminals.pendingTxn(tid) ?? null });
  });

  api.post('/terminals/:tid/:action', async (c) => {
    const tid = c.req.param('tid');
    const terminal = terminals.terminals.get(tid);
    if (!terminal) return c.json({ error: { field: 'tid', rule: 'exists', message: `no terminal ${tid}` } }, 404);
    const input = await body(c);
    const action = c.req.param('action');
    switch (action) {
      case 'code': {
        const result = terminals.enterCode(tid, String(input.code ?? ''));
        return c.json(result, result.ok ? 200 : 400);
      }
      case 'online':
        terminal.online = input.online !== false;
        return c.json(terminal);
      case 'mode': {
        const mode: TerminalMode = input.mode === 'manual' ? 'manual' : 'auto';
        terminal.mode = mode;
        return c.json(terminal);
      }
      case 'press-o':
        return done(c, terminals.pressO(tid), 'the terminal has no request waiting for O');
      case 'card': {
        const outcome = cardOutcome(input.outcome);
        if (input.outcome !== undefined && !outcome) return bad(c, 'outcome', 'enum', 'outcome must be approve, decline, pin, pin_decline or cancel');
        return done(c, terminals.presentCard(tid, outcome), 'the terminal is not waiting for a card');
      }
      case 'pin':
        return done(c, terminals.enterPin(tid, input.correct !== false), 'the terminal is not asking for a PIN');
      case 'cancel': {
        const pending = terminal.pending;
        return done(c, pending && terminals.cancel(tid, pending) === 'cancelled' ? terminals.txns.get(pending) : undefined, 'nothing to cancel');
      }
      default:
        return c.json({ error: { field: 'action', rule: 'enum', message: `unknown action ${action}` } }, 404);
    }
  });

  api.post('/faults', async (c) => {
    const input = await body(c);
    const kind = String(input.kind ?? '');
    if (!isFaultKind(kind)) return bad(c, 'kind', 'enum', `kind must be one of ${FAULT_KINDS.join(', ')}`);
    const method = input.method === undefined ? undefined : String(input.method);
    if (method !== undefined && !isMyposMethod(method)) return bad(c, 'method', 'enum', 'method must be a myPOS method name');
    const count = input.count === undefined ? 1 : Number(input.count);
    if (!Number.isInteger(count) || count < 1) return bad(c, 'count', 'positive_integer', 'count must be a whole number of at least 1');
    const delayMs = input.delayMs === undefined ? 0 : Number(input.delayMs);
    if (!Number.isFinite(delayMs) || delayMs < 0) return bad(c, 'delayMs', 'non_negative', 'delayMs must be 0 or more');
    faults.add({ kind, method, remaining: count, delayMs });
    return c.json({ faults: faults.list() }, 201);
  });

  api.delete('/faults', (c) => {
    faults.clear();
    return c.json({ faults: [] });
  });

  api.post('/settings', async (c) => {
    const input = await body(c);
    if (input.duplicateMode === 'cache' || input.duplicateMode === 'error') settings.duplicateMode = input.duplicateMode;
    if (input.pinCodeIn === 'status' || input.pinCodeIn === 'response_code') settings.pinCodeIn = input.pinCodeIn;
    return c.json({ duplicateMode: settings.duplicateMode, pinCodeIn: settings.pinCodeIn });
  });

  return api;
}

function done(c: Context, value: unknown, message: string) {
  return value ? c.json(value) : c.json({ error: { field: 'tid', rule: 'state', message } }, 409);
}

function cardOutcome(value: unknown): CardOutcome | undefined {
  switch (value) {
    case 'approve':
      return { kind: 'approve' };
    case 'decline':
      return { kind: 'decline', responseCode: '05' };
    case 'pin':
      return { kind: 'pin_then_approve' };
    case 'pin_decline':
      return { kind: 'pin_then_decline', responseCode: '55' };
    case 'cancel':
      return { kind: 'cardholder_cancels' };
    default:
      return undefined;
  }
}
