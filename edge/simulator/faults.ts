import type { MyposMethod } from '../core/mypos/methods.js';

// Switches that make the next answers go wrong in the ways a network and a peer can go wrong.
// Each fault is applied after the request was processed: the payment exists, only its answer is
// damaged, which is exactly the case where a client must not charge twice.

export const FAULT_KINDS = ['drop', 'delay', 'http_500', 'malformed_xml', 'bad_signature', 'wrong_echo'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  /** Only answers to this method; every method when absent. */
  readonly method: MyposMethod | undefined;
  /** How many answers it damages. */
  remaining: number;
  /** For delay: how long, in real milliseconds (not scaled). */
  readonly delayMs: number;
}

export class FaultSwitches {
  private readonly faults: Fault[] = [];

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  /** The fault to apply to this answer, if any; it is used up once. */
  take(method: MyposMethod): Fault | undefined {
    const index = this.faults.findIndex((fault) => fault.method === undefined || fault.method === method);
    if (index < 0) return undefined;
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}
