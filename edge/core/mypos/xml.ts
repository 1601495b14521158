// XML text for values we put on the wire. Signatures are computed over the unescaped text.

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXmlText(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

// XML 1.0 forbids most control characters even when escaped.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function isXmlSafe(value: string): boolean {
  return !XML_FORBIDDEN.test(value);
}

export function renderElements(prefix: string, fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([name, value]) => `<${prefix}:${name}>${escapeXmlText(value)}</${prefix}:${name}>`).join('');
}
