import { channelOperations } from '../../shared/operations.js';
import type { Actor } from './auth/actor.js';
import type { Forbidden } from './payments/payment-service.js';
import type { PaymentReason } from '../../shared/reasons.js';
import { integer, type Env } from './env-settings.js';
import { readActivation } from './mypos/activation.js';
import type { MyposGateway } from './mypos/gateway.js';
import { subscribeRequest, txnStatusRequest } from './mypos/requests.js';
import { fieldValue } from './mypos/response.js';
import type { Clock, Logger, PaymentStore, Scheduler, TerminalRecord } from './ports.js';

// Pairing a myPOS terminal with the till (MPRSubscribe) and undoing it. The code myPOS returns is
// typed on the device by a person; until then the terminal is pending. While it is, the edge looks
// for evidence that the device reached cash-register mode (edge/core/mypos/activation.ts): a
// watcher on the scheduler, one harmless call per terminal per pollMs, for at most waitMs after the
// subscribe; and GET /api/terminals checks a due one itself (a runtime without timers, Workers'
// own routes, relies on that). Both share one clock per terminal, so together they stay within
// one call per pollMs.

export type TerminalResult =
  | { readonly kind: 'ok'; readonly terminal: TerminalRecord }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'refused'; readonly status: string; readonly reason: PaymentReason; readonly message: string }
  | { readonly kind: 'no_answer'; readonly message: string };

export interface TerminalWatchTimings {
  /** TERMINAL_CODE_POLL_MS: the pace of the check while a subscription waits for its code. */
  readonly pollMs: number;
  /** TERMINAL_CODE_WAIT_MS: how long after the subscribe the edge keeps checking. */
  readonly waitMs: number;
}

export const DEFAULT_TERMINAL_WATCH: TerminalWatchTimings = { pollMs: 5_000, waitMs: 600_000 };

export function terminalWatchTimings(env: Env): TerminalWatchTimings {
  return {
    pollMs: integer(env, 'TERMINAL_CODE_POLL_MS', DEFAULT_TERMINAL_WATCH.pollMs, 1),
    waitMs: integer(env, 'TERMINAL_CODE_WAIT_MS', DEFAULT_TERMINAL_WATCH.waitMs),
  };
}

/** A terminal paired by a code (MPRSubscribe), not configured (a LAN terminal). */
const subscribed = (terminal: TerminalRecord) => channelOperations(terminal.transport).includes('subscription');

/** How long GET /api/terminals waits for the checks it started before answering with what it has. */
const LIST_CHECK_WAIT_MS = 3_000;

export interface TerminalDeps {
  readonly store: PaymentStore;
  readonly gateway: MyposGateway;
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newRuid: () => string;
  readonly watch: TerminalWatchTimings;
}

const watchKey = (tid: string) => `terminal:${tid}`;

export class TerminalService {
  /** When each terminal was last checked, and the check under way: one call per terminal per pollMs. */
  private readonly lastCheck = new Map<string, number>();
  private readonly checking = new Map<string, Promise<void>>();

  constructor(private readonly deps: TerminalDeps) {}

  /** Subscribing and unsubscribing a terminal is an admin's (the route checks it too). */
  async subscribe(actor: Actor, tid: string, currency: string): Promise<TerminalResult | Forbidden> {
    if (!actor.admin) return { kind: 'forbidden' };
    const result = await this.call(tid, currency, 'subscribe');
    if (result.kind === 'ok' && result.terminal.state === 'pending_code') {
      this.lastCheck.delete(tid);
      this.watch(tid);
    }
    return result;
  }

  async unsubscribe(actor: Actor, tid: string): Promise<TerminalResult | Forbidden> {
    if (!actor.admin) return { kind: 'forbidden' };
    const terminal = await this.deps.store.getTerminal(tid);
    if (!terminal || !subscribed(terminal)) return { kind: 'not_found' };
    const result = await this.call(tid, terminal.currency, 'unsubscribe');
    if (result.kind === 'ok') this.deps.scheduler.cancel(watchKey(tid));
    return result;
  }

  /** At start: the watchers of subscriptions still waiting for their code, within their time. */
  async resume(): Promise<number> {
    const waiting = (await this.deps.store.listTerminals()).filter((terminal) => this.waiting(terminal));
    for (const terminal of waiting) this.watch(terminal.tid, 0);
    return waiting.length;
  }

  /**
   * The terminals for GET /api/terminals. A waiting one not checked for pollMs is checked now; the
   * answers are awaited a short moment, so a code just typed shows at once (and with no timers).
   */
  async list(): Promise<TerminalRecord[]> {
    const terminals = await this.deps.store.listTerminals();
    const checks = terminals.filter((terminal) => this.waiting(terminal) && this.due(terminal.tid)).map((terminal) => this.check(terminal.tid));
    if (checks.length === 0) return terminals;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, LIST_CHECK_WAIT_MS)));
    await Promise.race([Promise.all(checks), patience]);
    clearTimeout(timer);
    return this.deps.store.listTerminals();
  }

  private async call(tid: string, currency: string, action: 'subscribe' | 'unsubscribe'): Promise<TerminalResult> {
    const result = await this.deps.gateway.call(subscribeRequest({ tid, ruid: this.deps.newRuid(), currency, action }));
    if (!result.ok) {
      if (result.error.kind === 'mypos_status') return { kind: 'refused', status: result.error.status.code, reason: result.error.status.reason, message: result.error.status.log };
      return { kind: 'no_answer', message: 'myPOS did not answer. Try again in a moment.' };
    }
    const terminal: TerminalRecord = {
      tid,
      currency,
      transport: 'cloud',
      address: undefined,
      state: action === 'subscribe' ? 'pending_code' : 'unsubscribing',
      code: fieldValue(result.response, 'code'),
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
    await this.deps.store.saveTerminal(terminal);
    return { kind: 'ok', terminal };
  }

  /** A cloud subscription waiting for its code, less than waitMs after the subscribe (the pending record's updatedAt). */
  private waiting(terminal: TerminalRecord): boolean {
    return subscribed(terminal) && terminal.state === 'pending_code' && this.deps.clock.now() - Date.parse(terminal.updatedAt) < this.deps.watch.waitMs;
  }

  private due(tid: string): boolean {
    return this.checking.has(tid) || this.deps.clock.now() - (this.lastCheck.get(tid) ?? Number.NEGATIVE_INFINITY) >= this.deps.watch.pollMs;
  }

  private watch(tid: string, delayMs = this.deps.watch.pollMs): void {
    this.deps.scheduler.schedule(watchKey(tid), delayMs, () => this.tick(tid));
  }

  /** One turn of the watcher: check when due, then come back after pollMs while still waiting. */
  private async tick(tid: string): Promise<void> {
    const terminal = await this.deps.store.getTerminal(tid);
    if (!terminal || terminal.state !== 'pending_code') return;
    if (!this.waiting(terminal)) {
      this.deps.logger.info('terminal code not typed in time: no longer checking', { tid, since: terminal.updatedAt });
      return;
    }
    if (this.due(tid)) await this.check(tid);
    const after = await this.deps.store.getTerminal(tid);
    if (after?.state === 'pending_code') this.watch(tid);
  }

  /** The harmless call, at most one at a time per terminal; never throws. */
  private check(tid: string): Promise<void> {
    const running = this.checking.get(tid);
    if (running) return running;
    this.lastCheck.set(tid, this.deps.clock.now());
    const started = this.checkNow(tid)
      .catch((error: unknown) => this.deps.logger.error('terminal check failed', { tid, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.checking.delete(tid));
    this.checking.set(tid, started);
    return started;
  }

  private async checkNow(tid: string): Promise<void> {
    const before = await this.deps.store.getTerminal(tid);
    if (!before || !this.waiting(before)) return;
    const result = await this.deps.gateway.call(txnStatusRequest({ tid, ruid: this.deps.newRuid(), ruidOriginal: this.deps.newRuid() }));
    const reading = readActivation(result);
    if (reading.kind === 'waiting') return;
    // Only the subscription that was checked: not one cancelled or made again meanwhile.
    const current = await this.deps.store.getTerminal(tid);
    if (!current || current.state !== 'pending_code' || current.updatedAt !== before.updatedAt) return;
    await this.deps.store.saveTerminal({ ...current, state: 'active', code: undefined, updatedAt: new Date(this.deps.clock.now()).toISOString() });
    this.deps.scheduler.cancel(watchKey(tid));
    this.deps.logger.info('terminal active', { tid, evidence: reading.evidence });
  }
}
