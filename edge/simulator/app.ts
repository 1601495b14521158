import { Hono, type Context } from 'hono';
import { controlApi } from './control-api.js';
import { FaultSwitches } from './faults.js';
import { checkoutControl, checkoutRoutes, IPC_DEFAULTS, OnlineCheckout, type IpcSimSettings } from './ipc/index.js';
import { terminalPage } from './terminal-page.js';
import type { SimulatorSettings } from './settings.js';
import { SoapEndpoint } from './soap-endpoint.js';
import { VirtualTerminals } from './terminals.js';
import { isMetadataQuery, wcfMetadata } from './wcf.js';

export interface Simulator {
  readonly app: Hono;
  readonly terminals: VirtualTerminals;
  readonly faults: FaultSwitches;
  readonly endpoint: SoapEndpoint;
  readonly settings: SimulatorSettings;
  /** The Online Checkout (IPC): POST /vmp/checkout, the customer's pages, /sim/checkouts. */
  readonly checkout: OnlineCheckout;
  /** Stops the terminals' timers and the notifications in flight. */
  close(): void;
}

/** What the Online Checkout takes beyond the simulator's settings: its SID, wallet and notify timings. */
export type CheckoutOptions = Partial<Omit<IpcSimSettings, 'signingKey' | 'partnerCertificates' | 'timeScale'>>;

/** On @hono/node-server the Node request is in env; destroying its socket is a lost answer. */
function nodeSocketOf(env: unknown): (() => void) | undefined {
  const incoming = (env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
  return incoming?.socket ? () => incoming.socket?.destroy() : undefined;
}

/**
 * The myPOS cloud stand-in: POST /infromhttp, the /sim control API, and a terminal page at /.
 * Under SIM_PROFILE=wcf also the service's metadata: GET /?wsdl (or /infromhttp?wsdl) and the
 * schemas it imports (?xsd=xsd0, ?xsd=xsd2); under documented these are 404, as no document names one.
 */
export function createSimulator(settings: SimulatorSettings, checkoutOptions: CheckoutOptions = {}): Simulator {
  const terminals = new VirtualTerminals(settings.timeScale);
  for (const seed of settings.terminals) terminals.addTerminal(seed);
  if (settings.journal) {
    terminals.restoreRecords(settings.journal.load());
    terminals.onRecord = (record) => settings.journal?.append(record);
  }
  const faults = new FaultSwitches();
  const endpoint = new SoapEndpoint(settings, terminals, faults);
  const checkout = new OnlineCheckout({
    signingKey: settings.signingKey,
    partnerCertificates: settings.partnerCertificates,
    storeName: settings.merchant.name,
    timeScale: settings.timeScale,
    ...IPC_DEFAULTS,
    ...checkoutOptions,
  });

  const metadata = (c: Context): Response | undefined => {
    const url = new URL(c.req.url);
    if (!isMetadataQuery(url)) return undefined;
    const xml = settings.profile === 'wcf' ? wcfMetadata(url) : undefined;
    if (xml === undefined) return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=UTF-8' } });
    return c.body(xml, 200, { 'content-type': 'text/xml; charset=UTF-8' });
  };

  const app = new Hono();
  app.post('/infromhttp', (c) => endpoint.handle(c.req.raw, nodeSocketOf(c.env)));
  app.get('/infromhttp', (c) => metadata(c) ?? c.notFound());
  // POST /sim/reset also empties the checkouts and puts the checkout switches back.
  app.use('/sim/reset', async (c, next) => {
    await next();
    if (c.req.method === 'POST') {
      checkout.reset();
      settings.journal?.clear();
    }
  });
  app.route('/sim', controlApi({ settings, terminals, faults, endpoint }));
  app.route('/sim', checkoutControl(checkout));
  app.route('/', checkoutRoutes(checkout));
  app.get('/', (c) => metadata(c) ?? c.html(terminalPage()));
  return {
    app,
    terminals,
    faults,
    endpoint,
    settings,
    checkout,
    close: () => {
      terminals.reset();
      checkout.close();
    },
  };
}
