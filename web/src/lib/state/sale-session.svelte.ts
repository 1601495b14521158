import type { Product } from '../../../../shared/api.js';
import { formatCents } from '../../../../shared/money.js';
import { newRuid } from '../../../../shared/ruid.js';
import { checkReferenceNumber, type PaymentReference } from '../../../../shared/validation.js';
import { api } from '../api.js';
import { itemCount } from '../checkout/cart.js';
import { currencyRule } from '../checkout/currency.js';
import { cardTerminals, checkoutTerminal } from '../checkout/online.js';
import { deleteDigit, pressDigits } from '../checkout/keys.js';
import { completeSale, startPayment, type SaleDraft } from '../checkout/sale.js';
import { planTender } from '../checkout/tender.js';
import { formatMoney } from '../format.js';
import { fieldProblem, problemText } from '../explain.js';
import { t } from '../messages/index.svelte.js';
import { stored } from '../platform/storage.js';
import { keepBasket } from '../preauth-basket.js';
import { amountLine } from '../sale-parts.js';
import { freeAmountVatBp } from '../till-settings.js';
import { addAmount, addProduct, cart, clearCart } from './cart.svelte.js';
import { catalogue } from './catalogue.svelte.js';
import { chargeCard, clearLastSale, lastSale, payByLink, recordCash } from './ring-up.svelte.js';
import { navigate } from './route.svelte.js';
import { rememberTerminal, terminals } from './terminals.svelte.js';

// The sale being rung up on the sale screen: the keypad's amount, the cash received, the reference,
// and what Charge and Cash would do. The screen's components read it and call its actions; the
// rules themselves are the pure ones in checkout/.

class SaleSession {
  cents = $state(0);
  cashText = $state('');
  reference = $state('');
  referenceType = $state<PaymentReference['type']>('1');
  tab = $state<'products' | 'keypad'>(stored.saleTab.get() ?? 'products');
  sending = $state(false);
  saveError = $state('');

  /** The terminals Charge may use, and the one chosen. */
  readonly cardTerminals = $derived(cardTerminals(terminals.list));
  readonly terminal = $derived(this.cardTerminals.find((item) => item.tid === terminals.tid));
  /** The online channel ("Pay by QR / link"), when the shop has Online Checkout. */
  readonly checkoutTerminal = $derived(checkoutTerminal(terminals.list));
  readonly shopCurrency = $derived(catalogue.currency);
  readonly hasProducts = $derived(cart.lines.some((line) => line.productId !== undefined));
  /** The currency of the sale and what the selected terminal may take (checkout/currency.ts). */
  readonly rule = $derived(currencyRule({ shop: this.shopCurrency, terminal: this.terminal?.currency, hasProducts: this.hasProducts }));
  readonly currency = $derived(this.rule.currency);
  readonly referenceError = $derived.by(() => {
    if (this.reference === '') return '';
    const checked = checkReferenceNumber(this.reference);
    return checked.ok ? '' : fieldProblem(checked.error);
  });
  readonly plan = $derived(
    planTender({ lines: cart.lines, discount: cart.discount, keypadLine: this.cents > 0 ? amountLine(this.cents, freeAmountVatBp(), t.cart.amountLine) : undefined, cashText: this.cashText }),
  );
  /** Why the selected terminal cannot take this sale as it stands, before anything is sent. */
  readonly currencyBlock = $derived(
    this.rule.block === 'products_on_foreign_terminal'
      ? t.sale.currencyMismatch(this.terminal?.currency ?? '', this.shopCurrency)
      : this.rule.block === 'cash_for_foreign_amount' && (this.plan.cashTyped || this.plan.totalCents > 0)
        ? t.sale.foreignAmount(this.terminal?.currency ?? '', this.shopCurrency)
        : '',
  );
  readonly items = $derived(itemCount(this.plan.lines));
  readonly ready = $derived(this.plan.totalCents > 0 && !this.plan.overCap && this.referenceError === '' && !this.plan.cashInvalid && !this.sending);
  // A typed amount on a terminal of another currency is charged whole, by card: no cash part.
  readonly canCharge = $derived(this.ready && this.plan.card.cardCents > 0 && this.terminal !== undefined && this.rule.cardAllowed && (this.rule.cashAllowed || !this.plan.cashTyped));
  readonly canPreauth = $derived(this.ready && this.terminal !== undefined && this.terminal.operations.includes('preauth') && !this.plan.cashTyped && this.rule.cardAllowed);
  readonly canCash = $derived(this.ready && this.plan.cashCovers && this.rule.cashAllowed);
  /** The customer pays on their own phone what the card would (the total, or the rest of the cash received), in the link's currency. */
  readonly canPayOnline = $derived(this.ready && this.plan.card.cardCents > 0 && this.checkoutTerminal !== undefined && this.checkoutTerminal.currency === this.currency && (this.currency === this.shopCurrency || !this.hasProducts));

  money = (cents: number): string => formatMoney(cents, this.currency);

  showTab(tab: 'products' | 'keypad'): void {
    this.tab = tab;
    stored.saleTab.set(tab);
  }

  /** Typed on the keypad (on screen or a keyboard). */
  typeDigits(digits: string): void {
    this.cents = pressDigits(this.cents, digits);
    clearLastSale();
  }

  /** The keypad's amount as the keyboard left it (checkout/keys.ts decides). */
  setKeypad(cents: number): void {
    if (cents !== this.cents) clearLastSale();
    this.cents = cents;
  }

  deleteDigit(): void {
    this.cents = deleteDigit(this.cents);
  }

  add(product: Product): void {
    addProduct(product);
    clearLastSale();
    lastSale.notice = t.cart.added(product.name);
  }

  addTyped(): void {
    addAmount(this.cents, t.cart.amountLine);
    this.cents = 0;
  }

  /** A barcode read by the scanner: its product goes into the cart. */
  scanned(code: string): void {
    const product = catalogue.products.find((item) => item.active && item.barcode === code);
    if (product) this.add(product);
    else this.say(t.cart.unknownBarcode(code));
  }

  say(text: string): void {
    clearLastSale();
    lastSale.notice = text;
  }

  private draft(): SaleDraft {
    return {
      lines: $state.snapshot(this.plan.lines),
      discount: $state.snapshot(cart.discount),
      note: cart.note,
      cashReceivedCents: this.plan.cashReceivedCents,
      reference: this.reference ? { number: this.reference, type: this.referenceType } : undefined,
    };
  }

  private reset(): void {
    this.cents = 0;
    this.reference = '';
    this.cashText = '';
    clearCart();
  }

  /** Runs a step that stores the sale on this device; if even that fails, the cart stays and the cashier is told. */
  private async storing(step: () => Promise<boolean>): Promise<void> {
    this.sending = true;
    this.saveError = '';
    try {
      if (await step()) this.reset();
    } catch (error) {
      this.saveError = t.sale.notSaved(error instanceof Error ? error.message : String(error));
    } finally {
      this.sending = false;
    }
  }

  charge(): Promise<void> {
    const terminal = this.terminal;
    if (!terminal || !this.canCharge) return Promise.resolve();
    const sale = startPayment(this.draft(), { id: newRuid(), now: new Date().toISOString(), currency: this.currency, tid: terminal.tid });
    return this.storing(async () => (await chargeCard(sale)) === 'sent');
  }

  /**
   * Pay by QR / link: the sale stored with its RUID first, as a card sale (cash received pays
   * first, the link the rest), then the link asked for by the outbox.
   */
  payOnline(): Promise<void> {
    const online = this.checkoutTerminal;
    if (!online || !this.canPayOnline) return Promise.resolve();
    const sale = startPayment(this.draft(), { id: newRuid(), now: new Date().toISOString(), currency: this.currency, tid: online.tid, channel: 'checkout' });
    return this.storing(async () => (await payByLink(sale)) === 'sent');
  }

  cash(): Promise<void> {
    if (!this.canCash) return Promise.resolve();
    const sale = completeSale(this.draft(), { id: newRuid(), now: new Date().toISOString(), currency: this.shopCurrency });
    return this.storing(async () => {
      await recordCash(sale);
      return true;
    });
  }

  /** Holds the total on the card (LAN terminals): online only, the hold is completed or released later. */
  async preauthorise(): Promise<void> {
    const terminal = this.terminal;
    if (!terminal || !this.canPreauth) return;
    this.sending = true;
    this.saveError = '';
    const ruid = newRuid();
    const reference = this.reference ? { reference: { number: this.reference, type: this.referenceType } } : {};
    const answer = await api.preauth({ ruid, tid: terminal.tid, amount: formatCents(this.plan.totalCents), ...reference });
    this.sending = false;
    if (!answer.ok) {
      this.saveError = problemText(answer);
      return;
    }
    rememberTerminal(terminal.tid);
    keepBasket(ruid, { lines: $state.snapshot(this.plan.lines), discount: $state.snapshot(cart.discount), note: cart.note });
    this.reset();
    navigate({ name: 'payment', ruid });
  }
}

export const session = new SaleSession();
