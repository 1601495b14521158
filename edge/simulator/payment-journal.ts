import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PaymentJournal } from './settings.js';
import type { SimRecord } from './terminals.js';

// What the simulated myPOS cloud remembers across its restarts: every transaction that became final
// and every charge, refund and void, one JSON line each. myPOS keeps its payments whatever happens
// to the shop's box; in demo mode the simulator restarts with the edge, and without this a restore
// could never have a card payment confirmed (MPRGetTxnStatus would answer "not found").

export function fileJournal(path: string): PaymentJournal {
  return {
    load() {
      if (!existsSync(path)) return [];
      const records: SimRecord[] = [];
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          records.push(JSON.parse(line) as SimRecord);
        } catch {
          // A line cut by a crash mid-write: the ones before it stand.
        }
      }
      return records;
    },
    append(record) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    },
    clear() {
      if (existsSync(path)) writeFileSync(path, '', { mode: 0o600 });
    },
  };
}
