import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { channelOperations } from '../../shared/operations.js';
import { newRuid } from '../../shared/ruid.js';
import { checkTid } from '../../shared/validation.js';
import { ConfigError, loadConfig } from '../adapters/node/config.js';
import { nodeMyposTransport } from '../adapters/node/mypos-transport.js';
import { openNodeStore } from '../adapters/node/node-sqlite.js';
import { importCertificatesPem } from '../core/mypos/keys.js';
import { runDoctor, summaryOf } from '../core/mypos/doctor.js';
import { resolveProfile } from '../core/mypos/profile-sources.js';
import { learnedFor } from '../core/mypos/protocol-service.js';
import { loadMypos } from '../core/mypos/setup.js';
import { demoMyposSettings, startDemoSimulator } from '../demo/demo-mypos.js';
import { checkWords, diagnosisWords, tryWords } from './doctor-words.js';

// npm run mypos:doctor -- --tid <TID>: first contact with myPOS (README "Going live"). Reads the
// edge's MYPOS_* settings and EDGE_DATA_DIR; without MYPOS_ENDPOINT it examines the built-in
// simulator (SIM_PROFILE). Prints what it tried and what is now used, saves the learned profile
// in the edge's store, and exits 1 with a diagnosis when myPOS cannot be used as configured.

const args = process.argv.slice(2);
const tidArg = args[args.indexOf('--tid') + 1];
const tid = args.includes('--tid') && tidArg !== undefined ? checkTid(tidArg) : undefined;
if (!tid?.ok) {
  console.error('usage: npm run mypos:doctor -- --tid <TID>   (the 8 letters or digits of a terminal connected on the Terminals screen)');
  const known = await knownTerminals();
  if (known.length > 0) console.error(`terminals this edge knows: ${known.join(', ')}`);
  process.exit(2);
}

/** The cloud terminals in the edge's store, for the usage line. */
async function knownTerminals(): Promise<string[]> {
  try {
    const config = await loadConfig(process.env);
    const storeFile = join(config.dataDir, 'edge.sqlite');
    if (!existsSync(storeFile)) return [];
    const store = openNodeStore(storeFile);
    try {
      return (await store.listTerminals()).filter((terminal) => channelOperations(terminal.transport).includes('subscription')).map((terminal) => `${terminal.tid} (${terminal.state})`);
    } finally {
      store.close();
    }
  } catch {
    return [];
  }
}

/**
 * Demo mode: the simulator `npm start` runs (on SIM_PORT) holds the terminals connected on the
 * Terminals screen, so it is examined when it answers; otherwise one is started for the check.
 */
async function runningSimulator(): Promise<string | undefined> {
  const url = `http://127.0.0.1:${process.env.SIM_PORT ?? '8788'}`;
  try {
    const response = await fetch(`${url}/sim/state`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok ? `${url}/infromhttp` : undefined;
  } catch {
    return undefined;
  }
}

const pad = (text: string, width: number) => (text.length >= width ? `${text} ` : text.padEnd(width));

try {
  const config = await loadConfig(process.env);
  const running = config.live ? undefined : await runningSimulator();
  const simulator = config.live || running ? undefined : await startDemoSimulator(process.env, config.dataDir, '0');
  const demoSettings = simulator ? await demoMyposSettings(process.env, config.dataDir, simulator) : running ? await demoMyposSettings(process.env, config.dataDir, { endpoint: running, certificateFile: join(config.dataDir, 'simulator/mypos-sim-cert.pem') }) : undefined;
  const settings = config.live ?? demoSettings;
  if (!settings) throw new Error('no myPOS settings');
  const demo = !config.live;
  const storeFile = join(config.dataDir, 'edge.sqlite');
  const store = openNodeStore(storeFile);
  try {
    const learned = learnedFor(settings.endpoint, await store.loadProtocolProfile());
    const start = resolveProfile({ learned, overrides: settings.overrides }).profile;
    const transport = nodeMyposTransport({ connectTimeoutMs: config.connectTimeoutMs });
    const loaded = await loadMypos(settings, transport, {}, start);
    const partnerCertFile = config.partnerCertFile ?? (demo ? join(config.dataDir, 'keys/partner-cert.pem') : undefined);
    const partner = partnerCertFile ? await importCertificatesPem(await readFile(partnerCertFile, 'utf8')) : [];
    const certificates = [
      ...partner.map((certificate) => ({ name: 'partner', notAfter: certificate.notAfter.toISOString() })),
      ...loaded.myposCertificates.map((certificate) => ({ name: 'mypos', notAfter: certificate.notAfter.toISOString() })),
    ];
    const where = running ? ' (the simulator npm start runs)' : simulator ? ` (a built-in simulator started for this check, SIM_PROFILE=${process.env.SIM_PROFILE ?? 'documented'})` : '';
    console.log(`myPOS doctor: terminal ${tid.value} at ${settings.endpoint}${where}\n`);
    const report = await runDoctor(tid.value, {
      endpoint: settings.endpoint,
      login: settings.login,
      signer: loaded.signer,
      verifier: loaded.verifier,
      transport,
      fetch,
      start,
      overrides: settings.overrides,
      certificates,
      now: () => Date.now(),
      newRuid,
      onExchange: (exchange) => store.recordExchange({ ...exchange, phase: 'answered' }),
    });
    if (report.learned) await store.saveProtocolProfile(report.learned);
    const using = resolveProfile({ learned: report.learned ?? learned, overrides: settings.overrides }).profile;
    const summary = summaryOf(report, using);

    console.log('Checks');
    for (const check of summary.checks) console.log(`  ${pad(check.result, 6)}${pad(check.check, 13)}${checkWords(check)}`);
    console.log('\nTried (MPRGetTxnStatus about a random RUID: changes nothing)');
    console.log(`  ${pad('#', 3)}${pad('SOAPAction', 46)}${pad('signing order', 17)}answer`);
    summary.tries.forEach((attempt, index) => console.log(`  ${pad(String(index + 1), 3)}${pad(attempt.soapAction, 46)}${pad(attempt.signingOrder, 17)}${tryWords(attempt)}`));
    console.log('\nNow used by the edge');
    console.log(`  SOAPAction     ${summary.using.soapAction}`);
    console.log(`  signing order  ${summary.using.signingOrder}`);
    console.log(`  answer order   ${summary.using.answerOrder}`);
    console.log(`  version        ${summary.using.version}`);
    if (report.learned) console.log(`  saved in ${storeFile} (${report.learned.evidence.join('; ')})`);
    if (summary.overriddenByEnvironment.length > 0) console.log(`  note: ${summary.overriddenByEnvironment.join(', ')} in your environment differ from what was learned and still win; remove them to use what was learned`);
    console.log(`\n${diagnosisWords(summary)}`);
    console.log('\nWhat this proves: myPOS accepts this login, key and certificate, and the edge reads its signed answers.\nWhat it cannot: a real card payment. Take one on a test card before opening the till.');
    process.exitCode = summary.ok ? 0 : 1;
  } finally {
    store.close();
    await simulator?.close();
  }
} catch (error) {
  console.error(`doctor could not run: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
