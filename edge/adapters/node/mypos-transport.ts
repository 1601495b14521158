import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BodyTooLargeError, type MyposTransport } from '../../core/mypos/transport.js';

/**
 * The myPOS transport on Node: node:http(s) with keep-alive agents. It adds the separate 10 s
 * connect timeout that fetch cannot express (the 30 s request timeout is the core's AbortSignal),
 * and costs about a third of fetch's CPU per call, without Web streams (tests/bench/edge-bench.ts).
 */
export function nodeMyposTransport(options: { connectTimeoutMs?: number } = {}): MyposTransport {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
  return ({ url, body, headers, signal }) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const payload = Buffer.from(body, 'utf8');
      const request = (secure ? httpsRequest : httpRequest)(target, {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': String(payload.byteLength) },
        signal,
      });
      request.on('socket', (socket) => {
        // A reused keep-alive socket is already connected; a new one must connect in time.
        if (!socket.connecting) return;
        const timer = setTimeout(() => request.destroy(new Error(`connect timeout after ${connectTimeoutMs} ms`)), connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('secureConnect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      request.on('error', reject);
      request.on('response', (response: IncomingMessage) => {
        const date = response.headers.date;
        resolve({ status: response.statusCode ?? 0, date, readText: (maxBytes) => readCapped(response, maxBytes) });
      });
      request.end(payload);
    });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the body as UTF-8 text, destroying the response as soon as it passes maxBytes. */
function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on('data', (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        response.destroy();
        reject(new BodyTooLargeError(`the response is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => {
      try {
        resolve(utf8.decode(Buffer.concat(chunks, total)));
      } catch (error) {
        reject(error);
      }
    });
    response.on('error', reject);
    response.on('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the response was complete'));
    });
  });
}
