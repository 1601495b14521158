import type { MyposGateway } from './mypos/gateway.js';
import { subscribeRequest } from './mypos/requests.js';
import { fieldValue } from './mypos/response.js';
import type { Clock, PaymentStore, TerminalRecord } from './ports.js';

// Pairing a myPOS terminal with the till (MPRSubscribe) and undoing it. The code myPOS returns is
// typed on the device by a person; until then the terminal is pending.

export type TerminalResult =
  | { readonly kind: 'ok'; readonly terminal: TerminalRecord }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'refused'; readonly status: string; readonly message: string }
  | { readonly kind: 'no_answer'; readonly message: string };

export class TerminalService {
  constructor(
    private readonly store: PaymentStore,
    private readonly gateway: MyposGateway,
    private readonly clock: Clock,
    private readonly newRuid: () => string,
  ) {}

  async subscribe(tid: string, currency: string): Promise<TerminalResult> {
    return this.call(tid, currency, 'subscribe');
  }

  async unsubscribe(tid: string): Promise<TerminalResult> {
    const terminal = await this.store.getTerminal(tid);
    if (!terminal || terminal.transport === 'lan') return { kind: 'not_found' };
    return this.call(tid, terminal.currency, 'unsubscribe');
  }

  private async call(tid: string, currency: string, action: 'subscribe' | 'unsubscribe'): Promise<TerminalResult> {
    const result = await this.gateway.call(subscribeRequest({ tid, ruid: this.newRuid(), currency, action }));
    if (!result.ok) {
      if (result.error.kind === 'mypos_status') return { kind: 'refused', status: result.error.status.code, message: result.error.status.cashier };
      return { kind: 'no_answer', message: 'myPOS did not answer. Try again in a moment.' };
    }
    const terminal: TerminalRecord = {
      tid,
      currency,
      transport: 'cloud',
      address: undefined,
      state: action === 'subscribe' ? 'pending_code' : 'unsubscribing',
      code: fieldValue(result.response, 'code'),
      updatedAt: new Date(this.clock.now()).toISOString(),
    };
    await this.store.saveTerminal(terminal);
    return { kind: 'ok', terminal };
  }
}
