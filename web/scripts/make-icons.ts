import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

// Draws the app icons (a card terminal on the brand blue) as PNG files, with no image library:
// npx tsx web/scripts/make-icons.ts. The output is committed under web/public/icons.

type Rgb = readonly [number, number, number];
const BLUE: Rgb = [11, 74, 140];
const WHITE: Rgb = [255, 255, 255];
const SCREEN: Rgb = [20, 32, 46];
const KEY: Rgb = [190, 205, 222];
const GREEN: Rgb = [46, 160, 90];

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function png(size: number, pixel: (x: number, y: number) => Rgb): Buffer {
  const raw = Buffer.alloc(size * (size * 3 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b], y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}

function inRoundRect(x: number, y: number, left: number, top: number, right: number, bottom: number, radius: number): boolean {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + radius), right - radius);
  const cy = Math.min(Math.max(y, top + radius), bottom - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** scale < 1 keeps the drawing inside the maskable safe zone. */
function terminal(scale: number) {
  return (px: number, py: number): Rgb => {
    const x = 0.5 + (px - 0.5) / scale;
    const y = 0.5 + (py - 0.5) / scale;
    if (!inRoundRect(x, y, 0.26, 0.12, 0.74, 0.88, 0.07)) return BLUE;
    if (inRoundRect(x, y, 0.32, 0.19, 0.68, 0.42, 0.03)) return inRoundRect(x, y, 0.38, 0.27, 0.5, 0.34, 0.01) ? GREEN : SCREEN;
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 3; col++) {
        const kx = 0.36 + col * 0.14;
        const ky = 0.52 + row * 0.11;
        if (inRoundRect(x, y, kx - 0.045, ky - 0.035, kx + 0.045, ky + 0.035, 0.015)) return KEY;
      }
    }
    return WHITE;
  };
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), png(192, terminal(1)));
writeFileSync(new URL('icon-512.png', out), png(512, terminal(1)));
writeFileSync(new URL('maskable-512.png', out), png(512, terminal(0.78)));
writeFileSync(new URL('apple-touch-icon-180.png', out), png(180, terminal(0.9)));
