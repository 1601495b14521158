// The till's one way to the edge: every request of the API client (api.ts), the outbox runner and
// the pairing check goes through `send`. A 401 (not paired, or revoked) is announced as an event;
// the auth state listens to it and shows the pairing screen. Nothing here knows about screens.

/**
 * An error answer: a code (shared/reasons.ts API_ERROR_CODES, or the till's own network and
 * bad_response) with its data. The till words the code (explain.ts); `message` is for developers
 * and the log, never shown.
 */
export interface ApiError {
  readonly code?: string;
  readonly field?: string;
  readonly rule?: string;
  readonly message: string;
  readonly inFlightRuid?: string;
  /** 403 admin_required: what this device may still give back (of the sale, or today); 400 over what is left. */
  readonly left?: string;
  /** mypos_refused: myPOS's status, and its reason. */
  readonly status?: string;
  readonly reason?: string;
  /** currency_locked: the currency sales are booked in. */
  readonly currency?: string;
  /** already_final, not_held: the payment's state. */
  readonly state?: string;
}

export type ApiResult<T> =
  | {
      readonly ok: true;
      readonly status: number;
      readonly data: T;
      /** The edge's clock (its Date header, in ms) when it answered, if it said. */
      readonly serverDate?: number | undefined;
    }
  | { readonly ok: false; readonly status: number; readonly error: ApiError };

const events = new EventTarget();
const UNAUTHORIZED = 'unauthorized';

/** Called on every 401 answer; returns the unsubscribe. */
export function onUnauthorized(listener: () => void): () => void {
  events.addEventListener(UNAUTHORIZED, listener);
  return () => events.removeEventListener(UNAUTHORIZED, listener);
}

export interface SendOptions extends RequestInit {
  /** Give up (a network error) after this long; default: wait as long as the browser does. */
  readonly timeoutMs?: number;
}

/** fetch, with an optional timeout, announcing a 401. Network failures throw, as fetch does. */
export async function send(input: string, options: SendOptions = {}): Promise<Response> {
  const { timeoutMs, ...init } = options;
  const signal = timeoutMs === undefined ? init.signal : AbortSignal.timeout(timeoutMs);
  const response = await fetch(input, signal ? { ...init, signal } : init);
  if (response.status === 401) events.dispatchEvent(new Event(UNAUTHORIZED));
  return response;
}

/** A JSON request to the API. A network failure (or timeout) is status 0: the caller decides whether to send it again. */
export async function request<T>(method: string, path: string, body?: unknown, options: { timeoutMs?: number } = {}): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await send(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch {
    return { ok: false, status: 0, error: { code: 'network', message: 'network' } };
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { ok: false, status: response.status, error: { code: 'bad_response', message: `HTTP ${response.status}` } };
  }
  if (response.ok) {
    const date = Date.parse(response.headers.get('date') ?? '');
    return { ok: true, status: response.status, data: json as T, serverDate: Number.isNaN(date) ? undefined : date };
  }
  const error = (json as { error?: ApiError }).error ?? { message: `HTTP ${response.status}` };
  return { ok: false, status: response.status, error };
}
