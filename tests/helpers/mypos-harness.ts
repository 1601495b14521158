import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeMyposTransport } from '../../edge/adapters/node/mypos-transport.js';
import type { GatewayTimings } from '../../edge/core/mypos/gateway.js';
import { DOCUMENTED_PROFILE, type ProtocolProfile } from '../../edge/core/mypos/profile.js';
import { loadMypos, type LoadedMypos } from '../../edge/core/mypos/setup.js';
import { startSimulator, type RunningSimulator } from '../../edge/simulator/node-server.js';

export interface Harness extends LoadedMypos {
  readonly sim: RunningSimulator;
  readonly dataDir: string;
  readonly partnerKeyPem: string;
  /** POST (or GET without a body) to the simulator's control API. */
  control<T = unknown>(path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Parts of the edge's protocol profile; the documents' reading otherwise. */
  readonly profile?: Partial<ProtocolProfile>;
  readonly simEnv?: Record<string, string>;
  readonly timings?: Partial<GatewayTimings>;
}

/** The simulator on a free loopback port, and a gateway talking to it over real HTTP. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mypos-sim-'));
  const sim = await startSimulator({ SIM_PORT: '0', SIM_DATA_DIR: dataDir, SIM_TIME_SCALE: '0.001', ...options.simEnv });
  const partnerKeyPem = await readFile(join(dataDir, 'keys/partner-key.pem'), 'utf8');
  const loaded = await loadMypos(
    {
      endpoint: sim.endpoint,
      login: 'demo@mypos.local',
      overrides: {},
      keyIndex: '1',
      privateKeysPem: { '1': partnerKeyPem },
      myposCertificatePem: await readFile(sim.certificateFile, 'utf8'),
    },
    nodeMyposTransport({ connectTimeoutMs: 2_000 }),
    { timings: { requestTimeoutMs: 2_000, retryDelayMs: 10, ...options.timings } },
    { ...DOCUMENTED_PROFILE, ...options.profile },
  );
  return {
    ...loaded,
    sim,
    dataDir,
    partnerKeyPem,
    async control<T>(path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${sim.url}/sim${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await response.json()) as T;
    },
    async close() {
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
