import type { LogFields, Logger } from '../../core/ports.js';

/** Structured JSON lines on stdout. Callers pass ids and states, never key material. */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), minimum: 'info' | 'warn' = 'info'): Logger {
  const emit = (level: 'info' | 'warn' | 'error', message: string, fields?: LogFields) => {
    if (level === 'info' && minimum === 'warn') return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }));
  };
  return {
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
