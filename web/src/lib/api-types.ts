import type { hc, InferResponseType } from 'hono/client';
import type { AppType } from '../../../edge/core/app.js';

// The edge's answers as the till reads them: inferred from the edge's routes themselves (AppType),
// never declared a second time. Types only: nothing of the edge or of hono/client is bundled.

type Api = ReturnType<typeof hc<AppType>>;

type Ok<T> = InferResponseType<T, 200>;

export type Terminal = Ok<Api['terminals']['$get']>['terminals'][number];
export type Device = Ok<Api['devices']['$get']>['devices'][number];
export type PairingCode = InferResponseType<Api['devices']['pairing-codes']['$post'], 201>;
export type DayClose = Ok<Api['day-closes']['$get']>['closes'][number];
export type Health = Ok<Api['health']['$get']>;
