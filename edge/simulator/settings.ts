import type { CertificateInfo } from '../core/mypos/keys.js';
import type { SimRecord, TerminalSeed } from './terminals.js';

export interface MerchantProfile {
  readonly mid: string;
  readonly name: string;
  readonly addressLine1: string;
  readonly addressLine2: string;
}

/**
 * How the simulator speaks where the documents leave it open (DECISIONS.md "What the documents
 * leave open"). documented: our reading of the documents (no WSDL, no SOAPAction check, requests
 * signed in the documented order, answers signed in the order sent). wcf: a WCF service as the
 * public PHP client sees myPOS (a WSDL with xsd:import, the WSDL's SOAPAction required, requests
 * signed key_index first, answers in alphabetical element order with method_name, i:nil and 0 for
 * unset members, signed in the logical order). See wcf.ts.
 */
export const SIM_PROFILES = ['documented', 'wcf'] as const;
export type SimProfile = (typeof SIM_PROFILES)[number];

export function isSimProfile(value: string): value is SimProfile {
  return (SIM_PROFILES as readonly string[]).includes(value);
}

export interface SimulatorSettings {
  /** The simulator's own key: every response is signed with it, as myPOS signs with theirs. */
  readonly signingKey: CryptoKey;
  /** The partner's login and its certificates by key_index. */
  readonly partnerLogin: string;
  readonly partnerCertificates: ReadonlyMap<string, readonly CertificateInfo[]>;
  readonly profile: SimProfile;
  /** Multiplies every terminal delay (1: a cardholder's real speed; 0.001 runs a 12 s PIN entry in 12 ms). */
  readonly timeScale: number;
  readonly terminals: readonly TerminalSeed[];
  readonly merchant: MerchantProfile;
  /** A repeated method + RUID: the cached first answer, or 6 E_DUPLICATE_TRANSMISSION. */
  duplicateMode: 'cache' | 'error';
  pinCodeIn: 'response_code' | 'status';
  /** Where the cloud keeps its payments across restarts (SIM_PAYMENTS_FILE); none: in memory only. */
  readonly journal?: PaymentJournal;
}

/** What the cloud keeps of its payments across restarts (payment-journal.ts keeps it in a file). */
export interface PaymentJournal {
  load(): SimRecord[];
  append(record: SimRecord): void;
  clear(): void;
}

export const DEMO_TERMINALS: readonly TerminalSeed[] = [
  { tid: '90000015', currency: 'EUR', subscribed: true },
  { tid: '90000016', currency: 'EUR', subscribed: true },
  { tid: '90000017', currency: 'BGN', subscribed: false },
];

export const DEMO_MERCHANT: MerchantProfile = {
  mid: '000000000000123',
  name: 'Demo Shop',
  addressLine1: '1 Demo Street',
  addressLine2: 'Sofia',
};
