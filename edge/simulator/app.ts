import { Hono } from 'hono';
import { controlApi } from './control-api.js';
import { FaultSwitches } from './faults.js';
import { terminalPage } from './terminal-page.js';
import type { SimulatorSettings } from './settings.js';
import { SoapEndpoint } from './soap-endpoint.js';
import { VirtualTerminals } from './terminals.js';

export interface Simulator {
  readonly app: Hono;
  readonly terminals: VirtualTerminals;
  readonly faults: FaultSwitches;
  readonly endpoint: SoapEndpoint;
  readonly settings: SimulatorSettings;
  /** Stops the terminals' timers. */
  close(): void;
}

/** On @hono/node-server the Node request is in env; destroying its socket is a lost answer. */
function nodeSocketOf(env: unknown): (() => void) | undefined {
  const incoming = (env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
  return incoming?.socket ? () => incoming.socket?.destroy() : undefined;
}

/** The myPOS cloud stand-in: POST /infromhttp, the /sim control API, and a terminal page at /. */
export function createSimulator(settings: SimulatorSettings): Simulator {
  const terminals = new VirtualTerminals(settings.timeScale);
  for (const seed of settings.terminals) terminals.addTerminal(seed);
  const faults = new FaultSwitches();
  const endpoint = new SoapEndpoint(settings, terminals, faults);

  const app = new Hono();
  app.post('/infromhttp', (c) => endpoint.handle(c.req.raw, nodeSocketOf(c.env)));
  app.route('/sim', controlApi({ settings, terminals, faults, endpoint }));
  app.get('/', (c) => c.html(terminalPage()));
  return { app, terminals, faults, endpoint, settings, close: () => terminals.reset() };
}
