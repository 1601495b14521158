import { isMyposMethod, type MyposMethod } from '../core/mypos/methods.js';
import { parseSoapBody } from '../core/mypos/soap-parse.js';

// Switches that make the next answers go wrong in the ways a network and a peer can go wrong.
// Each answer fault is applied after the request was processed: the payment exists, only its
// answer is damaged, which is exactly the case where a client must not charge twice. One request
// fault, drop_request, loses the request on its way: myPOS never hears of it (nothing processed,
// nothing in the exchanges), and the client sees no answer either.

export const ANSWER_FAULT_KINDS = ['drop', 'delay', 'http_500', 'malformed_xml', 'bad_signature', 'wrong_echo'] as const;
export const REQUEST_FAULT_KINDS = ['drop_request'] as const;
export const FAULT_KINDS = [...ANSWER_FAULT_KINDS, ...REQUEST_FAULT_KINDS] as const;
export type AnswerFaultKind = (typeof ANSWER_FAULT_KINDS)[number];
export type RequestFaultKind = (typeof REQUEST_FAULT_KINDS)[number];
export type FaultKind = AnswerFaultKind | RequestFaultKind;

/** A fault applied to an answer. */
export interface Fault extends FaultFields {
  readonly kind: AnswerFaultKind;
}

/** A fault applied to a request before myPOS reads it. */
export interface RequestFault extends FaultFields {
  readonly kind: RequestFaultKind;
}

interface FaultFields {
  /** Only this method (its answers, or its requests for drop_request); every method when absent. */
  readonly method: MyposMethod | undefined;
  /** How many answers (or requests) it damages. */
  remaining: number;
  /** For delay: how long, in real milliseconds (not scaled). */
  readonly delayMs: number;
}

const isAnswerFault = (fault: Fault | RequestFault): fault is Fault => (ANSWER_FAULT_KINDS as readonly string[]).includes(fault.kind);

export class FaultSwitches {
  private readonly faults: Array<Fault | RequestFault> = [];

  add(fault: Fault | RequestFault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): ReadonlyArray<Fault | RequestFault> {
    return this.faults;
  }

  /** The fault to apply to this answer, if any; it is used up once. */
  take(method: MyposMethod): Fault | undefined {
    const index = this.faults.findIndex((fault) => isAnswerFault(fault) && (fault.method === undefined || fault.method === method));
    const fault = this.faults[index];
    if (!fault || !isAnswerFault(fault)) return undefined;
    this.useOnce(fault, index);
    return fault;
  }

  /**
   * Whether this request is lost on its way (drop_request), used up once. The body is read (a
   * clone) only while such a fault is set.
   */
  async requestLost(request: Request): Promise<boolean> {
    if (this.faults.every(isAnswerFault)) return false;
    let method: string | undefined;
    try {
      const parsed = parseSoapBody(await request.clone().text());
      method = parsed.ok ? parsed.element.name : undefined;
    } catch {
      method = undefined;
    }
    if (method === undefined || !isMyposMethod(method)) return false;
    const index = this.faults.findIndex((fault) => !isAnswerFault(fault) && (fault.method === undefined || fault.method === method));
    const fault = this.faults[index];
    if (!fault) return false;
    this.useOnce(fault, index);
    return true;
  }

  private useOnce(fault: Fault | RequestFault, index: number): void {
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
  }
}

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}
