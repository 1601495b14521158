import { Hono, type Context } from 'hono';
import type { InferOutput } from 'valibot';
import { DayCloseBody, type ShopProfile } from '../../../shared/api.js';
import { parseAmount, type Cents } from '../../../shared/money.js';
import { accept, type Checked } from '../../../shared/result.js';
import { zReportCsv } from '../../../shared/z-report.js';
import type { AuditLog } from '../auth/audit-log.js';
import { rebuiltReport, reportOf } from '../day-close.js';
import type { Clock, LedgerStore } from '../ports.js';
import { adminOnly } from './access.js';
import { principalName, type EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { badRequest, jsonBody } from './validation.js';

// The day close (X report of the open period, Z report of a closed day). Admin only: it shows every
// till's takings, and closing is for the manager.

export interface DayCloseRouteDeps {
  readonly ledger: LedgerStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** The shop's name and currency, as an admin last saved them. */
  readonly profile: () => Promise<ShopProfile>;
}

const closeNotFound = (c: Context<EdgeEnv>) => c.json({ error: { code: 'not_found', message: 'no day close with this number' } }, 404);

/** The opening float (0.00 when none) and the counted cash (none when not given) of the query. */
function money(c: Context<EdgeEnv>): Checked<{ openingFloatCents: Cents; countedCashCents: Cents | undefined }> {
  const float = parseAmount(c.req.query('openingFloat') ?? '0.00', 'openingFloat');
  if (!float.ok) return float;
  const countedText = c.req.query('countedCash');
  const counted = countedText === undefined ? undefined : parseAmount(countedText, 'countedCash');
  if (counted && !counted.ok) return counted;
  return accept({ openingFloatCents: float.value, countedCashCents: counted?.value });
}

/** A day close's opening float and counted cash, each by its rule. */
function checkDayClose(body: InferOutput<typeof DayCloseBody>): Checked<{ openingFloatCents: Cents; countedCashCents: Cents }> {
  const float = parseAmount(body.openingFloat, 'openingFloat');
  if (!float.ok) return float;
  const counted = parseAmount(body.countedCash, 'countedCash');
  if (!counted.ok) return counted;
  return accept({ openingFloatCents: float.value, countedCashCents: counted.value });
}

function csv(c: Context<EdgeEnv>, text: string, filename: string) {
  return c.body(text, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` });
}

const MONEY_QUERY = [
  { name: 'openingFloat', description: 'the cash in the drawer at the start, 0.00 when not given' },
  { name: 'countedCash', description: 'the cash counted in the drawer now' },
];
const NO_CLOSE = { '404': { description: 'not_found: no day close with this number' } };
const CSV = { '200': { description: 'text/csv', mediaType: 'text/csv' } };

export function dayCloseRoutes(deps: DayCloseRouteDeps) {
  const { ledger, clock } = deps;
  const nowIso = () => new Date(clock.now()).toISOString();

  /** The open period as a report (X report), with the shop, or the query's refusal. */
  const currentReport = async (c: Context<EdgeEnv>) => {
    const options = money(c);
    if (!options.ok) return options;
    const shop = await deps.profile();
    return accept({ report: reportOf(await ledger.period(), { ...options.value, shopCurrency: shop.currency, to: nowIso() }), shop: shop.name });
  };

  const closeOf = (c: Context<EdgeEnv>) => {
    const no = c.req.param('no') ?? '';
    return /^[1-9][0-9]{0,8}$/.test(no) ? ledger.getDayClose(Number(no)) : Promise.resolve(undefined);
  };

  const routes = new Hono<EdgeEnv>()
    .get(
      '/current',
      describe({ summary: 'The open period as a report (X report), admin; query openingFloat and countedCash; byCurrency with net = gross − refunds − voids = cash + card + online (online: paid by link)', query: MONEY_QUERY }),
      adminOnly,
      async (c) => {
        const current = await currentReport(c);
        return current.ok ? c.json(current.value) : badRequest(c, current.error);
      },
    )
    .get('/current/csv', describe({ summary: 'The X report as CSV (section,key,currency,value)', query: MONEY_QUERY, responses: CSV }), adminOnly, async (c) => {
      const current = await currentReport(c);
      if (!current.ok) return badRequest(c, current.error);
      return csv(c, zReportCsv(current.value.report, { shop: current.value.shop, no: undefined }), 'x-report.csv');
    })
    .post(
      '/',
      describe({ summary: 'Close the day: every sale, void and refund not yet closed goes into this Z report (admin)', responses: { '201': { description: 'Closed' } } }),
      adminOnly,
      jsonBody('DayClose', DayCloseBody, checkDayClose),
      async (c) => {
        const { openingFloatCents, countedCashCents } = c.req.valid('json');
        const closedBy = principalName(c.get('principal'));
        const shop = await deps.profile();
        const close = await ledger.closeDay({ closedAt: nowIso(), closedBy, openingFloatCents, countedCashCents, shopCurrency: shop.currency });
        const nets = Object.entries(close.report.byCurrency).map(([currency, figures]) => `${currency} ${figures.net}`);
        await deps.audit.record({ actor: closedBy, action: 'day.close', ruid: String(close.no), result: `net ${nets.join(', ')}` });
        return c.json({ close, shop: shop.name }, 201);
      },
    )
    .get('/', describe({ summary: 'Closed days, newest first (admin)' }), adminOnly, async (c) => c.json({ closes: await ledger.listDayCloses(), shop: (await deps.profile()).name }))
    .get('/:no', describe({ summary: 'A closed day, rebuilt from its events (reproduced: true when the rebuild equals the stored report)', responses: NO_CLOSE }), adminOnly, async (c) => {
      const close = await closeOf(c);
      if (!close) return closeNotFound(c);
      // Rebuilt from the events the close took: the stored report must come out the same.
      const shop = await deps.profile();
      const rebuilt = rebuiltReport(close, await ledger.period(close.no), shop.currency);
      return c.json({ close, shop: shop.name, reproduced: JSON.stringify(rebuilt) === JSON.stringify(close.report) });
    })
    .get('/:no/csv', describe({ summary: 'A closed day as CSV (section,key,currency,value): shop, Z number, period and currency first', responses: { ...CSV, ...NO_CLOSE } }), adminOnly, async (c) => {
      const close = await closeOf(c);
      if (!close) return closeNotFound(c);
      return csv(c, zReportCsv(close.report, { shop: (await deps.profile()).name, no: close.no }), `z-report-${close.no}.csv`);
    });
  return routes;
}
