import { DEMO_LAN_TID } from '../../demo/demo.js';
import { ConfigError } from './config.js';
import { jsonLogger } from './logger.js';
import { startEdge } from './start.js';

// npm start (after the PWA build) and the production entry on Node: live with MYPOS_ENDPOINT,
// otherwise demo mode (edge/demo, joined in start.ts).

const logger = jsonLogger();
process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) }));

try {
  const running = await startEdge(process.env, logger);
  const lines = [`myPOS till edge (${running.simulator ? 'demo mode, built-in myPOS simulator' : 'live mode'})`, `  till:              ${running.publicUrl}/`];
  if (running.publicUrl !== running.url) lines.push(`  listening on:      ${running.url}${running.config.behindProxy ? ' (behind the TLS proxy)' : ''}`);
  if (running.caDownloadUrl) lines.push(`  local CA:          ${running.caDownloadUrl}  (tablets download it to trust the till's certificate)`);
  if (running.simulator) lines.push(`  virtual terminals: ${running.simulator.url}/`);
  if (running.lanSimulator) lines.push(`  LAN terminal:      ${DEMO_LAN_TID}, Payment Interface simulator on ${running.lanSimulator.address}`);
  if (running.simulator) lines.push(`  pay by QR / link:  the simulator's checkout page (test card 4111 1111 1111 1111 approves)`);
  if (running.pairingLink) lines.push(`  pair this till:    ${running.pairingLink}  (one-time, valid 1 hour)`);
  else if (running.adminPaired) lines.push(`  pair a till:       an admin till is paired already: make a code in its Devices screen (or admin token below)`);
  if (running.adminTokenFile) lines.push(`  admin token:       in ${running.adminTokenFile}`);
  lines.push(`  API:               ${running.publicUrl}/api/openapi.json`);
  console.log(lines.join('\n'));
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  const message = error instanceof ConfigError ? error.message : `start-up failed: ${error instanceof Error ? error.message : String(error)}`;
  console.error(`edge could not start: ${message}`);
  process.exit(1);
}
