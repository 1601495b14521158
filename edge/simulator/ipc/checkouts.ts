import type { Checkout, CheckoutInput, CheckoutState } from './checkout-types.js';
import { cardOutcome, DECLINE_REASONS, isValidCardNumber, normaliseCardNumber } from './cards.js';
import { IPC_STATUS, ipcError, type IpcError } from './wire.js';

// The checkouts myPOS holds: one per OrderID (the merchant's), from the IPCPurchase form to the
// outcome, the notifications sent and the refunds. An OrderID may be sent again until it is paid
// (the handbook: "Same OrderID is used for the request of a partner, except in case where the order
// has been marked as paid"); the new request replaces the unpaid checkout.

export type PayResult =
  | { readonly kind: 'approved' }
  | { readonly kind: 'challenge'; readonly code: string }
  | { readonly kind: 'declined'; readonly reason: string }
  | { readonly kind: 'invalid_card' }
  | { readonly kind: 'not_payable'; readonly state: CheckoutState };

const FINAL: ReadonlySet<CheckoutState> = new Set(['paid', 'declined', 'cancelled', 'expired', 'reversed']);

export const isFinalState = (state: CheckoutState): boolean => FINAL.has(state);

const randomDigits = (count: number): string => Array.from(crypto.getRandomValues(new Uint8Array(count)), (byte) => String(byte % 10)).join('');

/** "2024-07-30 14:49:48", the handbook's RequestDateTime (UTC here). */
const requestDateTime = (date: Date): string => date.toISOString().slice(0, 19).replace('T', ' ');

export class CheckoutStore {
  private readonly byOrder = new Map<string, Checkout>();
  private readonly bySession = new Map<string, Checkout>();
  private nextTrnref = 100_000 + Math.floor(Math.random() * 800_000);
  private stan = 0;

  create(input: CheckoutInput): Checkout | IpcError {
    const existing = this.byOrder.get(input.orderId);
    if (existing?.trnref !== undefined) return ipcError(IPC_STATUS.duplicate, `OrderID ${input.orderId} is already paid`);
    if (existing) this.bySession.delete(existing.id);
    const now = Date.now();
    const checkout: Checkout = {
      ...input,
      id: Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) => byte.toString(16).padStart(2, '0')).join(''),
      createdAt: now,
      expiresAt: now + input.expiresInSeconds * 1000,
      state: 'pending',
      finishedAt: undefined,
      card: undefined,
      declineReason: undefined,
      challengeCode: undefined,
      trnref: undefined,
      stan: undefined,
      requestDateTime: undefined,
      refunds: [],
      notify: 'none',
      notifies: [],
      lastMessage: undefined,
    };
    this.byOrder.set(checkout.orderId, checkout);
    this.bySession.set(checkout.id, checkout);
    return checkout;
  }

  order(orderId: string): Checkout | undefined {
    return this.expired(this.byOrder.get(orderId));
  }

  session(id: string): Checkout | undefined {
    return this.expired(this.bySession.get(id));
  }

  byTrnref(trnref: string): Checkout | undefined {
    return [...this.byOrder.values()].find((checkout) => checkout.trnref === trnref);
  }

  list(): Checkout[] {
    return [...this.byOrder.values()].map((checkout) => this.expired(checkout) ?? checkout);
  }

  reset(): void {
    this.byOrder.clear();
    this.bySession.clear();
  }

  /** The card typed on the page: approved, a 3-D Secure challenge, or declined. */
  pay(checkout: Checkout, cardText: string): PayResult {
    if (checkout.state !== 'pending') return { kind: 'not_payable', state: checkout.state };
    const number = normaliseCardNumber(cardText);
    if (!isValidCardNumber(number)) return { kind: 'invalid_card' };
    const { outcome, brand } = cardOutcome(number);
    checkout.card = { last4: number.slice(-4), brand };
    switch (outcome) {
      case 'approve':
        this.approve(checkout);
        return { kind: 'approved' };
      case 'challenge':
        checkout.state = 'challenge';
        checkout.challengeCode = randomDigits(6);
        return { kind: 'challenge', code: checkout.challengeCode };
      case 'decline':
      case 'insufficient_funds':
        return this.decline(checkout, DECLINE_REASONS[outcome]);
    }
  }

  /** The code typed on the bank's 3-D Secure page: the right one approves, another declines. */
  confirmChallenge(checkout: Checkout, code: string): PayResult {
    if (checkout.state !== 'challenge') return { kind: 'not_payable', state: checkout.state };
    if (code.trim() !== checkout.challengeCode) return this.decline(checkout, DECLINE_REASONS.authentication_failed);
    this.approve(checkout);
    return { kind: 'approved' };
  }

  /** Cancel on the page (or the 3-D Secure page): only before the payment is final. */
  cancel(checkout: Checkout): boolean {
    if (isFinalState(checkout.state)) return false;
    this.finish(checkout, 'cancelled');
    return true;
  }

  expire(checkout: Checkout): boolean {
    if (isFinalState(checkout.state)) return false;
    this.finish(checkout, 'expired');
    return true;
  }

  /** IPCReversal, or the rollback of a payment whose notify was never answered OK. */
  reverse(checkout: Checkout): boolean {
    if (checkout.state !== 'paid') return false;
    this.finish(checkout, 'reversed');
    return true;
  }

  refunded(checkout: Checkout): number {
    return checkout.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
  }

  private approve(checkout: Checkout): void {
    this.stan = (this.stan % 999_999) + 1;
    checkout.trnref = String(this.nextTrnref++);
    checkout.stan = String(this.stan).padStart(6, '0');
    checkout.requestDateTime = requestDateTime(new Date());
    this.finish(checkout, 'paid');
  }

  private decline(checkout: Checkout, reason: string): PayResult {
    checkout.declineReason = reason;
    this.finish(checkout, 'declined');
    return { kind: 'declined', reason };
  }

  private finish(checkout: Checkout, state: CheckoutState): void {
    checkout.state = state;
    checkout.challengeCode = undefined;
    checkout.finishedAt = Date.now();
  }

  /** A checkout left open past its expires_in ends expired when it is next looked at. */
  private expired(checkout: Checkout | undefined): Checkout | undefined {
    if (checkout && !isFinalState(checkout.state) && Date.now() >= checkout.expiresAt) this.finish(checkout, 'expired');
    return checkout;
  }
}
