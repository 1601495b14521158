import { jsonLines } from '../../core/json-logger.js';
import type { Logger } from '../../core/ports.js';

/** Structured JSON lines on stdout (or where write sends them). Callers pass ids and states, never key material. */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), minimum: 'info' | 'warn' = 'info'): Logger {
  return jsonLines(write, minimum);
}
