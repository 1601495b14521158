import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// After `vite build`: the gzip size of what the first load of the till fetches (the JS and CSS
// that index.html links). Goal: at most 60 KB. Prints the figure; the build does not fail on it.

const GOAL_BYTES = 60 * 1024;
const dist = new URL('../../dist/web/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? '');
let total = 0;
for (const asset of assets) {
  const size = gzipSync(readFileSync(new URL(asset, dist)), { level: 9 }).byteLength;
  total += size;
  console.log(`  ${asset.padEnd(40)} ${(size / 1024).toFixed(1)} KB gzip`);
}
console.log(`first-load JS+CSS: ${(total / 1024).toFixed(1)} KB gzip, ${total} bytes (goal <= ${GOAL_BYTES / 1024} KB)${total > GOAL_BYTES ? ' — OVER THE GOAL' : ''}`);
