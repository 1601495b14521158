// The checkout page's test cards. myPOS's own test environment approves every card ("you could
// test with every debit or credit card number ... processed as successful payment"); the simulator
// keeps that for any other valid number and adds a few numbers with a fixed outcome, so a person
// or a test can pick one. The numbers pass the Luhn check, like the SDK's Helper::isValidCardNumber.

export type CardOutcome = 'approve' | 'challenge' | 'decline' | 'insufficient_funds';

export interface TestCard {
  readonly number: string;
  readonly brand: 'VISA' | 'MasterCard';
  readonly outcome: CardOutcome;
  readonly description: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4111111111111111', brand: 'VISA', outcome: 'approve', description: 'approved (3-D Secure frictionless)' },
  { number: '5555555555554444', brand: 'MasterCard', outcome: 'approve', description: 'approved (3-D Secure frictionless)' },
  { number: '4000000000003220', brand: 'VISA', outcome: 'challenge', description: '3-D Secure challenge: the bank asks for a code, then approved' },
  { number: '4000000000000002', brand: 'VISA', outcome: 'decline', description: 'declined by the issuer (do not honour)' },
  { number: '4000000000009995', brand: 'VISA', outcome: 'insufficient_funds', description: 'declined: insufficient funds' },
];

/** Why a card was declined, as the page and the simulator's control API tell it. */
export const DECLINE_REASONS: Readonly<Record<'decline' | 'insufficient_funds' | 'authentication_failed', string>> = {
  decline: 'Declined by the card issuer (do not honour)',
  insufficient_funds: 'Declined: insufficient funds',
  authentication_failed: '3-D Secure authentication failed',
};

/** Digits only: spaces and dashes a person types are dropped. */
export function normaliseCardNumber(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function isValidCardNumber(number: string): boolean {
  if (!/^[0-9]{13,19}$/.test(number)) return false;
  let sum = 0;
  let double = false;
  for (let i = number.length - 1; i >= 0; i--) {
    let digit = Number(number[i]);
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** A test card's outcome; any other valid number is approved, as in myPOS's test environment. */
export function cardOutcome(number: string): { readonly outcome: CardOutcome; readonly brand: string } {
  const card = TEST_CARDS.find((candidate) => candidate.number === number);
  if (card) return card;
  return { outcome: 'approve', brand: number.startsWith('5') || number.startsWith('2') ? 'MasterCard' : 'VISA' };
}
