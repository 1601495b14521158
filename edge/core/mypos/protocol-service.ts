import type { Logger, ProtocolProfileStore } from '../ports.js';
import { runDoctor, type DoctorCertificate, type DoctorDeps, type DoctorReport } from './doctor.js';
import { resolveProfile, type LearnedProfile, type ResolvedProfile } from './profile-sources.js';
import type { LoadedMypos, MyposSettings, StartProfile } from './setup.js';
import type { WsdlReading } from './wsdl.js';
import type { MyposTransport } from './transport.js';

// The edge's side of the protocol profile: which profile the live client uses and where each part
// came from, and the doctor run from the Terminals screen (its learned profile saved and used at once).

export interface ProtocolServiceDeps {
  readonly settings: Pick<MyposSettings, 'endpoint' | 'login' | 'overrides'>;
  /** The live client and its gateway, keys and certificates (loadMypos). */
  readonly loaded: Pick<LoadedMypos, 'client' | 'gateway' | 'signer' | 'verifier'>;
  readonly transport: MyposTransport;
  readonly store: ProtocolProfileStore;
  readonly certificates: readonly DoctorCertificate[];
  readonly logger: Logger;
  readonly newRuid: () => string;
  /** What start-up resolved (with the WSDL, when it was read), and the learned profile it used. */
  readonly started: StartProfile;
  readonly learned: LearnedProfile | undefined;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** A learned profile applies to the host it was learned on (test and production are separate services). */
export function learnedFor(endpoint: string, learned: LearnedProfile | undefined): LearnedProfile | undefined {
  if (!learned) return undefined;
  try {
    return new URL(learned.endpoint).hostname === new URL(endpoint).hostname ? learned : undefined;
  } catch {
    return undefined;
  }
}

export class ProtocolService {
  private resolved: ResolvedProfile;
  private learned: LearnedProfile | undefined;
  private running: Promise<DoctorReport> | undefined;

  private readonly wsdl: WsdlReading | undefined;

  constructor(private readonly deps: ProtocolServiceDeps) {
    this.resolved = { profile: deps.started.profile, sources: deps.started.sources };
    this.learned = deps.learned;
    this.wsdl = deps.started.wsdl.ok ? deps.started.wsdl.wsdl : undefined;
  }

  current(): ResolvedProfile & { readonly learned: LearnedProfile | undefined; readonly wsdl: string | undefined } {
    return { ...this.resolved, learned: this.learned, wsdl: this.wsdl?.url };
  }

  /** One doctor at a time: a second request while one runs gets the same report. */
  doctor(tid: string): Promise<DoctorReport> {
    this.running ??= this.runOnce(tid).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runOnce(tid: string): Promise<DoctorReport> {
    const { deps } = this;
    const start = resolveProfile({ learned: this.learned, overrides: deps.settings.overrides }).profile;
    const doctorDeps: DoctorDeps = {
      endpoint: deps.settings.endpoint,
      login: deps.settings.login,
      signer: deps.loaded.signer,
      verifier: deps.loaded.verifier,
      transport: deps.transport,
      // Called unbound by the doctor: a runtime's fetch may refuse another `this`.
      fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
      start,
      overrides: deps.settings.overrides,
      certificates: deps.certificates,
      now: deps.now ?? (() => Date.now()),
      newRuid: deps.newRuid,
      beforeRequest: () => deps.loaded.gateway.takeBudget('MPRGetTxnStatus'),
    };
    const report = await runDoctor(tid, doctorDeps);
    deps.logger.info('myPOS doctor', { tid, diagnosis: report.diagnosis ?? 'ok', tries: report.tries.length });
    if (report.learned) await this.adopt(report.learned);
    return report;
  }

  /** Saves a learned profile and uses it from the next request on (the environment still wins). */
  async adopt(learned: LearnedProfile): Promise<void> {
    await this.deps.store.saveProtocolProfile(learned);
    this.use(learned);
    this.deps.logger.info('myPOS protocol profile learned', { evidence: learned.evidence.join('; ') });
  }

  /**
   * Picks up a profile the doctor saved from elsewhere (on Workers, another object ran it; on
   * Node, the command line while the edge runs): one store read.
   */
  async refresh(): Promise<void> {
    const stored = learnedFor(this.deps.settings.endpoint, await this.deps.store.loadProtocolProfile());
    if (!stored || stored.learnedAt === this.learned?.learnedAt) return;
    this.use(stored);
    this.deps.logger.info('myPOS protocol profile picked up', { learnedAt: stored.learnedAt });
  }

  private use(learned: LearnedProfile): void {
    this.learned = learned;
    this.resolved = resolveProfile({ learned, overrides: this.deps.settings.overrides, wsdl: this.wsdl });
    this.deps.loaded.client.useProfile(this.resolved.profile);
  }
}

