import { DurableObject } from 'cloudflare:workers';
import type { EdgeApp } from '../../core/edge-ports.js';
import { AlarmScheduler } from './alarm-scheduler.js';
import { buildEdgeApp, workerLogger } from './edge-app.js';
import type { WorkerEnv } from './env.js';

// One Durable Object per terminal (named by its TID). Every payment request for the terminal is
// routed here, so its payments' machine, timers (the object's alarm) and event streams live in one
// place. The one-in-flight rule itself is the store's unique index (a fetch lets requests
// interleave inside an object; the stored in-flight record does not). After an eviction the
// object resumes its terminal's payments from the store: a same-RUID resend or a status check.

export const TID_HEADER = 'x-edge-terminal';
const TID_KEY = 'tid';

export class TerminalObject extends DurableObject<WorkerEnv> {
  private readonly scheduler: AlarmScheduler;
  private app: EdgeApp | undefined;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    this.scheduler = new AlarmScheduler(ctx.storage, workerLogger(env));
    void ctx.blockConcurrencyWhile(async () => {
      // A fresh instance of a terminal seen before: whatever was in flight goes on.
      const tid = await ctx.storage.get<string>(TID_KEY);
      this.app = await buildEdgeApp(env, this.scheduler, tid ? { tid } : 'none');
    });
  }

  private edge(): EdgeApp {
    if (!this.app) throw new Error('the terminal object is not ready');
    return this.app;
  }

  override async fetch(request: Request): Promise<Response> {
    const tid = request.headers.get(TID_HEADER);
    if (tid && (await this.ctx.storage.get<string>(TID_KEY)) !== tid) await this.ctx.storage.put(TID_KEY, tid);
    return this.edge().app.fetch(request);
  }

  override async alarm(): Promise<void> {
    try {
      await this.scheduler.runDue();
    } finally {
      await this.scheduler.arm();
    }
  }
}
