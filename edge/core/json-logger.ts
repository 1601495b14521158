import type { LogFields, Logger } from './ports.js';

/** One JSON object per line: time, level, msg, fields. Never given a secret (callers log ids, not keys). */
export function jsonLines(write: (line: string) => void, minimum: 'info' | 'warn' = 'info'): Logger {
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
