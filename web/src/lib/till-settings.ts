// Settings kept on this device (localStorage): they shape how the till rings up, not what the edge stores.

const FREE_AMOUNT_VAT = 'till.freeAmountVatBp';

/** The VAT rate of an amount typed on the keypad (no product): 20 %, Bulgaria's standard rate, unless set. */
export function freeAmountVatBp(): number {
  const stored = Number(localStorage.getItem(FREE_AMOUNT_VAT));
  return Number.isInteger(stored) && stored >= 0 && stored < 10_000 && localStorage.getItem(FREE_AMOUNT_VAT) !== null ? stored : 2000;
}

export function setFreeAmountVatBp(bp: number): void {
  localStorage.setItem(FREE_AMOUNT_VAT, String(bp));
}

const SHOP_HEADER = 'till.shopHeader';

/** The shop's name and address as printed on top of every receipt (a card payment's own merchant fields win). */
export function shopHeader(): string {
  return localStorage.getItem(SHOP_HEADER) ?? '';
}

export function setShopHeader(text: string): void {
  localStorage.setItem(SHOP_HEADER, text.trim().slice(0, 200));
}
