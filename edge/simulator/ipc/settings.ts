import type { CertificateInfo } from '../../core/mypos/keys.js';

// What the simulator's Online Checkout (IPC v1.4) needs to know, and the switches that make the
// seed's test scenarios happen (the control API sets them: /sim/ipc/switches).

export interface IpcSimSettings {
  /** The simulator's key: answers and notifications are signed with it, as myPOS signs with theirs. */
  readonly signingKey: CryptoKey;
  /** The partner's certificates by KeyIndex: the same ones the Remote API checks (key_index). */
  readonly partnerCertificates: ReadonlyMap<string, readonly CertificateInfo[]>;
  /** The online store's name, on the checkout page and its error page. */
  readonly storeName: string;
  /** The store's SID and the merchant's wallet (myPOS account number) the requests must carry. */
  readonly sid: string;
  readonly wallet: string;
  /** Multiplies the notify retry delays (the tests run at 0.001). */
  readonly timeScale: number;
  /** Real milliseconds before each retry of a notify not answered OK (multiplied by timeScale). */
  readonly notifyRetryDelaysMs: readonly number[];
  /** How long one notify POST may take before it counts as not answered (real milliseconds). */
  readonly notifyTimeoutMs: number;
  /** How long the browser's Pay waits for the first notify before it is sent on to URL_OK (real ms). */
  readonly browserWaitsForNotifyMs: number;
}

/** The test store of myPOS's handbook (Appendix II): SID and wallet number. */
export const IPC_DEMO_SID = '000000000000010';
export const IPC_DEMO_WALLET = '61938166610';

/** 5 attempts: at once, then after 1 s, 3 s, 10 s and 30 s. */
export const NOTIFY_RETRY_DELAYS_MS: readonly number[] = [1_000, 3_000, 10_000, 30_000];

export const IPC_DEFAULTS = {
  sid: IPC_DEMO_SID,
  wallet: IPC_DEMO_WALLET,
  notifyRetryDelaysMs: NOTIFY_RETRY_DELAYS_MS,
  notifyTimeoutMs: 5_000,
  browserWaitsForNotifyMs: 2_000,
} as const;

export interface IpcSwitches {
  /** send: IPCPurchaseNotify goes to URL_Notify; never: it is not sent (only IPCGetTxnStatus tells). */
  notify: 'send' | 'never';
  /** wrong: the notifications carry a signature that does not verify (the edge must refuse them). */
  notifySignature: 'valid' | 'wrong';
  /** Real milliseconds between the payment and the first notify attempt. */
  notifyDelayMs: number;
  /**
   * The next n notify answers are taken as not OK whatever the merchant said (its OK lost on the
   * way): myPOS retries, and the merchant receives the same notification again and must book once.
   */
  lostNotifyAnswers: number;
  /**
   * When no attempt was answered OK: reverse the payment and post IPCPurchaseRollback to
   * URL_Notify, as the handbook says myPOS does ("used when myPOS Checkout does not receive an HTTP
   * OK from the merchant as a response for IPCPurchaseNotify"). Off: the payment stays paid.
   */
  rollbackOnNotifyFailure: boolean;
}

export function defaultSwitches(): IpcSwitches {
  return { notify: 'send', notifySignature: 'valid', notifyDelayMs: 0, lostNotifyAnswers: 0, rollbackOnNotifyFailure: true };
}
