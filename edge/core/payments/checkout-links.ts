import { bytesToBase64 } from '../mypos/base64.js';

// The customer's link to a payment: /c/<ruid>.<mac>. The MAC (HMAC-SHA-256 with a key kept apart
// from the database, truncated to 128 bits) makes a link unguessable from a RUID, and the link needs
// no stored token: the edge recomputes it. Short enough for a QR code a phone reads at arm's length.

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** A fresh link key, for a runtime without a configured one: links then last as long as the process. */
export function ephemeralLinkKey(): Promise<CryptoKey> {
  // Raw random bytes imported, rather than generateKey, whose typing differs between runtimes.
  return crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export class CheckoutLinks {
  constructor(private readonly key: CryptoKey) {}

  async token(ruid: string): Promise<string> {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', this.key, encoder.encode(`checkout:${ruid}`)));
    return `${ruid}.${base64Url(mac.slice(0, 16))}`;
  }

  /** The payment a token names, or undefined when it was not made here. */
  async ruidOf(token: string): Promise<string | undefined> {
    const dot = token.lastIndexOf('.');
    if (dot < 1) return undefined;
    const ruid = token.slice(0, dot);
    const expected = await this.token(ruid);
    // Same length, compared whole: no early exit on the first differing character.
    let difference = expected.length ^ token.length;
    for (let index = 0; index < expected.length; index += 1) difference |= expected.charCodeAt(index) ^ (token.charCodeAt(index) || 0);
    return difference === 0 ? ruid : undefined;
  }
}
