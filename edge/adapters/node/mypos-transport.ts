import { Agent, fetch as undiciFetch } from 'undici';
import type { MyposTransport } from '../../core/mypos/transport.js';

/**
 * The myPOS transport on Node: fetch through an undici Agent, which adds the 10 s connect
 * timeout that the Web fetch cannot express (the 30 s request timeout is the core's AbortSignal).
 */
export function nodeMyposTransport(options: { connectTimeoutMs?: number } = {}): MyposTransport {
  const dispatcher = new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 }, keepAliveTimeout: 10_000 });
  return async ({ url, body, headers, signal }) => {
    const response = await undiciFetch(url, { method: 'POST', body, headers, signal, dispatcher, redirect: 'error' });
    return { status: response.status, headers: response.headers as unknown as Headers, body: response.body as ReadableStream<Uint8Array> | null };
  };
}
