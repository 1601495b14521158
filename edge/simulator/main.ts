import { startSimulator } from './node-server.js';

// npm run simulator: the myPOS cloud stand-in alone, configured by SIM_* variables (README).

try {
  const running = await startSimulator(process.env);
  console.log(`myPOS simulator listening on ${running.endpoint}
  virtual terminals: ${running.url}/
  its certificate (give it to the edge as MYPOS_CERT_FILE): ${running.certificateFile}`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
