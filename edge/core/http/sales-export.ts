import { Hono } from 'hono';
import { csvCell } from '../../../shared/csv.js';
import { formatCents } from '../../../shared/money.js';
import { tenderOfTransport } from '../../../shared/z-report.js';
import type { Clock, LedgerStore, StoredSale } from '../ports.js';
import { adminOnly } from './access.js';
import type { EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { isoTimeQuery } from './sales.js';
import { badRequest } from './validation.js';

// The books out of the edge (the admin's export): every booked sale completed in a time range, as
// JSON lines (each the stored sale, as GET /api/sales lists it) or CSV (one row a sale), so the
// ledger can also leave Cloudflare. Mounted before sales.ts's routes: /export is no sale's :id.

export interface SaleExportRouteDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
}

/** The most sales one export holds: a longer range is refused (rule max), ask a shorter one. */
export const SALES_EXPORT_LIMIT = 50_000;

export const SALES_CSV_HEADER = 'receiptNo,id,completedAt,currency,total,cash,card,channel,tid,bookedBy';

/** cash (no card part), card (a terminal's) or online (a link's). */
function channelOf(sale: StoredSale): string {
  return sale.cardCents > 0 ? tenderOfTransport(sale.transport) : 'cash';
}

/** The sales as CSV: the header, then one row a sale, amounts as "23.45", each cell defused. */
export function salesCsv(sales: readonly StoredSale[]): string {
  const row = (s: StoredSale) =>
    [String(s.receiptNo), s.id, s.completedAt, s.currency, formatCents(s.totalCents), formatCents(s.cashKeptCents), formatCents(s.cardCents), channelOf(s), s.tid ?? '', s.bookedBy].map(csvCell).join(',');
  return [SALES_CSV_HEADER, ...sales.map(row)].join('\n') + '\n';
}

export function saleExportRoutes(deps: SaleExportRouteDeps) {
  const { ledger, clock } = deps;
  return new Hono<EdgeEnv>().get(
    '/export',
    describe({
      summary: `The books out (admin): every booked sale completed (its completedAt) in [from, to), the earliest first, as JSON lines (each the stored sale) or CSV (one row a sale); at most ${SALES_EXPORT_LIMIT}`,
      query: [
        { name: 'from', description: 'required: an ISO 8601 time; sales completed at or after it' },
        { name: 'to', description: 'an ISO 8601 time after from; sales completed before it (default: now)' },
        { name: 'format', description: 'jsonl (default) or csv' },
      ],
      responses: {
        '200': { description: 'application/x-ndjson (jsonl) or text/csv (csv, as an attachment)', mediaType: 'application/x-ndjson' },
        '400': { description: 'from missing (required) or not an ISO time (format), to not an ISO time or not after from, format unknown, more sales than the limit (field from, rule max: ask a shorter range)' },
      },
    }),
    adminOnly,
    async (c) => {
      const from = isoTimeQuery('from', c.req.query('from'));
      if (!from.ok) return badRequest(c, from.error);
      const toText = c.req.query('to') || new Date(clock.now()).toISOString();
      const to = isoTimeQuery('to', toText);
      if (!to.ok) return badRequest(c, to.error);
      if (to.value <= from.value) return badRequest(c, { field: 'to', rule: 'range', message: 'to must be a time after from' });
      const format = c.req.query('format') ?? 'jsonl';
      if (format !== 'jsonl' && format !== 'csv') return badRequest(c, { field: 'format', rule: 'enum', message: 'format must be jsonl or csv' });
      const found = await ledger.salesBetween(from.value, to.value, SALES_EXPORT_LIMIT);
      if (found.more) {
        return badRequest(c, { field: 'from', rule: 'max', message: `more than ${SALES_EXPORT_LIMIT} sales in this range: ask a shorter one (a later from, or an earlier to)` });
      }
      if (format === 'csv') {
        const name = `sales-${c.req.query('from')}-${toText}.csv`;
        return c.body(salesCsv(found.sales), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });
      }
      return c.body(found.sales.map((sale) => JSON.stringify(sale) + '\n').join(''), 200, { 'content-type': 'application/x-ndjson' });
    },
  );
}
