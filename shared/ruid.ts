// A RUID is made once per payment (where the sale is created) and reused on every retry.
// Shape: 10 chars of millisecond time + 16 chars of randomness, Crockford base32, like a ULID,
// so RUIDs sort by creation time as text. Within one millisecond the random part is incremented,
// which keeps RUIDs made by one generator strictly increasing, even if the clock steps back.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
export const RUID_MAX_LENGTH = 255;

export type RandomBytes = (length: number) => Uint8Array;

const cryptoRandom: RandomBytes = (length) => crypto.getRandomValues(new Uint8Array(length));

export function createRuidGenerator(now: () => number = Date.now, random: RandomBytes = cryptoRandom): () => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  const fresh = () => Array.from(random(RANDOM_CHARS), (byte) => byte % 32);
  return () => {
    const time = now();
    if (time > lastTime) {
      lastTime = time;
      lastRandom = fresh();
    } else {
      // Same millisecond, or the clock stepped back: stay after the last RUID made.
      const next = increment(lastRandom);
      if (next) {
        lastRandom = next;
      } else {
        lastTime += 1;
        lastRandom = fresh();
      }
    }
    return encodeTime(lastTime) + lastRandom.map((digit) => ALPHABET[digit]).join('');
  };
}

export const newRuid: () => string = createRuidGenerator();

function encodeTime(time: number): string {
  let rest = time;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** The next random part, or undefined when every digit is already the highest. */
function increment(digits: number[]): number[] | undefined {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] ?? 0;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  return undefined;
}
