import type { CartLine, Discount } from './cart.js';
import { formatCents, type Cents } from './money.js';
import type { DiscountBody, SaleBody } from './sale-check.js';
import type { PaymentReference } from './validation.js';

// A completed sale as the till and the edge's ledger hold it: its lines, its discounts and how it
// was paid, and the JSON body the till sends (PUT /api/sales/:id). No valibot here: the PWA builds
// bodies with this file, and the checks (sale-check.ts) stay out of its bundle.

export interface SaleLine extends CartLine {
  readonly productId?: string | undefined;
}

export interface SaleInput {
  readonly id: string;
  readonly lines: readonly SaleLine[];
  readonly discount: Discount | undefined;
  readonly note: string | undefined;
  readonly totalCents: Cents;
  readonly currency: string;
  readonly cashKeptCents: Cents;
  readonly cashTenderedCents: Cents;
  readonly cardCents: Cents;
  /** The card part's payment, when there is one. */
  readonly paymentRuid: string | undefined;
  readonly reference: PaymentReference | undefined;
  readonly createdAt: string;
  readonly completedAt: string;
}

export const MAX_SALE_LINES = 200;
export const MAX_QUANTITY = 9999;

/** 2000 -> "20", 950 -> "9.5": the wire spelling of a rate in basis points. */
export function formatPercent(bp: number): string {
  return String(bp / 100);
}

export function discountBody(discount: Discount): DiscountBody {
  return discount.kind === 'amount' ? { amount: formatCents(discount.cents) } : { percent: formatPercent(discount.bp) };
}

/** The wire body of a sale (the till's outbox sends this). */
export function saleBody(sale: Omit<SaleInput, 'id'>): SaleBody {
  return {
    lines: sale.lines.map((line) => ({
      name: line.name,
      unitPrice: formatCents(line.unitPriceCents),
      quantity: line.quantity,
      vatRate: formatPercent(line.vatRateBp),
      ...(line.discount ? { discount: discountBody(line.discount) } : {}),
      ...(line.note ? { note: line.note } : {}),
      ...(line.productId ? { productId: line.productId } : {}),
    })),
    ...(sale.discount ? { discount: discountBody(sale.discount) } : {}),
    ...(sale.note ? { note: sale.note } : {}),
    total: formatCents(sale.totalCents),
    currency: sale.currency,
    ...(sale.cashTenderedCents > 0 || sale.cashKeptCents > 0 ? { cash: { kept: formatCents(sale.cashKeptCents), tendered: formatCents(sale.cashTenderedCents) } } : {}),
    ...(sale.paymentRuid ? { card: { amount: formatCents(sale.cardCents), ruid: sale.paymentRuid } } : {}),
    ...(sale.reference ? { reference: sale.reference } : {}),
    createdAt: sale.createdAt,
    completedAt: sale.completedAt,
  };
}
