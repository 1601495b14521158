// The simulator's myPOS Online Checkout (IPC v1.4): app.ts mounts checkoutRoutes at the root
// (POST /vmp/checkout and the customer's pages) and checkoutControl under /sim.

export { TEST_CARDS, type TestCard } from './cards.js';
export type { Checkout, CheckoutState, NotifyAttempt } from './checkout-types.js';
export { checkoutControl } from './control.js';
export { CHECKOUT_PATHS, checkoutRoutes } from './endpoint.js';
export { OnlineCheckout } from './service.js';
export { defaultSwitches, IPC_DEFAULTS, IPC_DEMO_SID, IPC_DEMO_WALLET, NOTIFY_RETRY_DELAYS_MS, type IpcSimSettings, type IpcSwitches } from './settings.js';
