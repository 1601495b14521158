import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { startEdge } from '../../edge/adapters/node/edge-server.js';
import { jsonLogger } from '../../edge/adapters/node/logger.js';

// npm run lighthouse: the built till served by the edge (demo mode), audited by Lighthouse in the
// OS's Chromium. Lighthouse is fetched by npx on first use rather than kept in devDependencies: it
// is large, and one of its dependencies asks for "latest", which breaks `npm ci` lock checks. Prints the category scores and Chromium's own installability verdict (Lighthouse 12
// dropped its PWA category). Goals: performance >= 95, accessibility 100, best practices >= 95,
// installable. Prints figures; fails only if the run itself fails.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LIGHTHOUSE = 'lighthouse@12.8.2';

/** The parts of Lighthouse's JSON report read here. */
interface LighthouseResult {
  lighthouseVersion: string;
  configSettings: { formFactor: string };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> } | undefined>;
  audits: Record<string, { id: string; title: string; score: number | null; displayValue?: string } | undefined>;
}
const root = resolve(import.meta.dirname, '../..');
const dataDir = await mkdtemp(join(tmpdir(), 'lighthouse-'));
const adminToken = 'lighthouse-admin-token-0123';
const edge = await startEdge({ PORT: '0', SIM_PORT: '0', SIM_LAN_PORT: '0', EDGE_DATA_DIR: dataDir, EDGE_WEB_DIR: resolve(root, 'dist/web'), EDGE_ADMIN_TOKEN: adminToken }, jsonLogger(() => undefined));
const debuggingPort = 9300 + Math.floor(Math.random() * 500);
// A persistent profile: Chromium does not offer installation in an incognito-like context.
const browser = await chromium.launchPersistentContext(join(dataDir, 'profile'), {
  executablePath: CHROMIUM,
  args: [`--remote-debugging-port=${debuggingPort}`, '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const url = `${edge.url}/`;
  // Audit the sale screen of a paired till, not the pairing screen: pair this profile first.
  const code = await edge.edge.app.request('/api/devices/pairing-codes', { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: '{}' });
  const { code: pairingCode } = (await code.json()) as { code: string };
  const paired = await fetch(`${url}api/devices/pair`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: pairingCode, name: 'Lighthouse' }) });
  const { token } = (await paired.json()) as { token: string };
  await browser.addCookies([{ name: 'till_device', value: token, url, httpOnly: true, sameSite: 'Strict' }]);
  const { stdout } = await promisify(execFile)(
    'npx',
    ['--yes', LIGHTHOUSE, url, `--port=${debuggingPort}`, '--output=json', '--quiet', '--disable-storage-reset', '--only-categories=performance,accessibility,best-practices'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const lhr = JSON.parse(stdout) as LighthouseResult;
  const categories = lhr.categories;
  const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
  console.log(`Lighthouse ${lhr.lighthouseVersion} on ${url} (${lhr.configSettings.formFactor}, throttled)`);
  console.log(`  performance     ${score('performance')}  (goal >= 95)`);
  console.log(`  accessibility   ${score('accessibility')}  (goal 100)`);
  console.log(`  best practices  ${score('best-practices')}  (goal >= 95)`);
  const metric = (id: string) => lhr.audits[id]?.displayValue ?? '?';
  console.log(`    metrics: FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, SI ${metric('speed-index')}`);
  for (const category of ['accessibility', 'best-practices']) {
    for (const ref of categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (audit && audit.score !== null && audit.score < 1 && ref.weight > 0) console.log(`    ${category}: ${audit.id} — ${audit.title}`);
    }
  }

  const context = browser;
  const page = await context.newPage();
  await page.goto(url);
  await page.evaluate(async () => navigator.serviceWorker.ready);
  const session = await context.newCDPSession(page);
  const { installabilityErrors } = (await session.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
  console.log(`  PWA             ${installabilityErrors.length === 0 ? 'installable' : `not installable: ${installabilityErrors.map((e) => e.errorId).join(', ')}`}`);
} finally {
  await browser.close();
  await edge.close();
  await rm(dataDir, { recursive: true, force: true });
}
