/** What a cashier types as money — "20", "20.5", "20,50" — in cents; undefined if it is not money. */
export function parseMoneyInput(text: string): number | undefined {
  const match = /^\s*([0-9]{1,7})(?:[.,]([0-9]{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** "10", "12.5" or "12,5" percent in basis points (0..10000); undefined otherwise. */
export function parsePercentInput(text: string): number | undefined {
  const match = /^\s*([0-9]{1,3})(?:[.,]([0-9]{1,2}))?\s*%?\s*$/.exec(text);
  if (!match) return undefined;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : undefined;
}
