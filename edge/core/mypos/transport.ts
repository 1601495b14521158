// The HTTP port of the myPOS client. The core's default uses fetch; the Node adapter adds a
// separate connect timeout, which fetch alone cannot express.

export interface TransportRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  /** The HTTP Date header, to report our clock offset from myPOS. */
  readonly date: string | undefined;
  /** The body as UTF-8 text; rejects with BodyTooLargeError past maxBytes, having stopped reading. */
  readText(maxBytes: number): Promise<string>;
}

export type MyposTransport = (request: TransportRequest) => Promise<TransportResponse>;

export function fetchTransport(fetchImpl: typeof fetch = fetch): MyposTransport {
  return async ({ url, body, headers, signal }) => {
    // 'manual': a redirect is answered as its 3xx status (never followed); workerd has no 'error' mode.
    const response = await fetchImpl(url, { method: 'POST', body, headers, signal, redirect: 'manual' });
    return { status: response.status, date: response.headers.get('date') ?? undefined, readText: (maxBytes) => readTextCapped(response.body, maxBytes) };
  };
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads a body as UTF-8 text, stopping (and cancelling the stream) past maxBytes. */
export async function readTextCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(`the response is larger than ${maxBytes} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
