import { Hono } from 'hono';
import * as v from 'valibot';
import { checkTid } from '../../../shared/validation.js';
import { summaryOf } from '../mypos/doctor.js';
import type { ProtocolService } from '../mypos/protocol-service.js';
import { requireAdmin, type EdgeEnv } from './auth.js';
import { badRequest, readJson } from './validation.js';

// The protocol profile in use and the doctor, for an admin on the Terminals screen. Codes and
// data only: the till words them.

const DoctorBody = v.strictObject({ tid: v.string() });

export interface ProfileRouteDeps {
  readonly protocol: ProtocolService;
  readonly record: (c: Parameters<typeof requireAdmin>[0], action: string, result: string) => Promise<void>;
}

export function myposProfileRoutes(deps: ProfileRouteDeps): Hono<EdgeEnv> {
  const routes = new Hono<EdgeEnv>();
  routes.get('/mypos/profile', (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const { profile, sources, learned, wsdl } = deps.protocol.current();
    return c.json({ profile, sources, learned: learned ? { learnedAt: learned.learnedAt, endpoint: learned.endpoint, evidence: learned.evidence } : undefined, wsdl });
  });
  routes.post('/mypos/doctor', async (c) => {
    const denied = requireAdmin(c);
    if (denied) return denied;
    const body = await readJson(c, DoctorBody);
    if (!body.ok) return badRequest(c, body.error);
    const tid = checkTid(body.value.tid);
    if (!tid.ok) return badRequest(c, tid.error);
    const report = await deps.protocol.doctor(tid.value);
    await deps.record(c, 'mypos.doctor', `${tid.value}:${report.diagnosis ?? 'ok'}`);
    return c.json({ report: summaryOf(report, deps.protocol.current().profile) });
  });
  return routes;
}
