import { ConfigError } from './config.js';
import { startEdge } from './edge-server.js';
import { jsonLogger } from './logger.js';

// npm start (after the PWA build) and the production entry on Node.

const logger = jsonLogger();
process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) }));

try {
  const running = await startEdge(process.env, logger);
  const lines = [`myPOS till edge (${running.simulator ? 'demo mode, built-in myPOS simulator' : 'live mode'})`, `  till:              ${running.publicUrl}/`];
  if (running.publicUrl !== running.url) lines.push(`  listening on:      ${running.url}${running.config.behindProxy ? ' (behind the TLS proxy)' : ''}`);
  if (running.caDownloadUrl) lines.push(`  local CA:          ${running.caDownloadUrl}  (tablets download it to trust the till's certificate)`);
  if (running.simulator) lines.push(`  virtual terminals: ${running.simulator.url}/`);
  if (running.lanSimulator) lines.push(`  LAN terminal:      LAN00001, Payment Interface simulator on ${running.lanSimulator.address}`);
  if (running.pairingLink) lines.push(`  pair this till:    ${running.pairingLink}  (one-time, valid 1 hour)`);
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
