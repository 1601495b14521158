import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { accept } from '../../../shared/result.js';
import { checkTid } from '../../../shared/validation.js';
import { summaryOf } from '../mypos/doctor.js';
import type { ProtocolService } from '../mypos/protocol-service.js';
import { adminOnly } from './access.js';
import type { EdgeEnv } from './auth.js';
import { describe } from './route-doc.js';
import { jsonBody } from './validation.js';

// The protocol profile in use and the doctor, for an admin on the Terminals screen. Codes and
// data only: the till words them.

const DoctorBody = v.strictObject({ tid: v.string() });

export interface ProfileRouteDeps {
  readonly protocol: ProtocolService;
  readonly record: (c: Context<EdgeEnv>, action: string, result: string) => Promise<void>;
}

export function myposProfileRoutes(deps: ProfileRouteDeps) {
  const routes = new Hono<EdgeEnv>()
    .get(
      '/profile',
      describe({
        summary:
          'Admin: the myPOS protocol profile in use (SOAPAction, wire and signing order, answer order, version), where each part came from (documents, learned, environment, wsdl), and what the doctor learned',
      }),
      adminOnly,
      (c) => {
        const { profile, sources, learned, wsdl } = deps.protocol.current();
        return c.json({ profile, sources, learned: learned ? { learnedAt: learned.learnedAt, endpoint: learned.endpoint, evidence: learned.evidence } : undefined, wsdl });
      },
    )
    .post(
      '/doctor',
      describe({
        summary:
          'Admin: run the myPOS doctor on a TID ({tid}): reachability, clock, certificates, WSDL, then at most 10 harmless MPRGetTxnStatus calls to learn the SOAPAction, signing order and answer order; the learned profile is saved and used. Answers {report} with codes and data (diagnosis, checks, tries)',
        responses: { '200': { description: 'The report' } },
      }),
      adminOnly,
      jsonBody('Doctor', DoctorBody, (body) => {
        const tid = checkTid(body.tid);
        return tid.ok ? accept({ tid: tid.value }) : tid;
      }),
      async (c) => {
        const { tid } = c.req.valid('json');
        const report = await deps.protocol.doctor(tid);
        await deps.record(c, 'mypos.doctor', `${tid}:${report.diagnosis ?? 'ok'}`);
        return c.json({ report: summaryOf(report, deps.protocol.current().profile) });
      },
    );
  return routes;
}
