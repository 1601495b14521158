// Seeded mutations of a text: the same seed gives the same cases, so a failure can be replayed.

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const INSERTS = ['<', '>', '&', '&amp;', '&lt;', '"', "'", '<!DOCTYPE x [<!ENTITY e "x">]>', '&e;', '<![CDATA[9]]>', '<!-- c -->', '\u0000', '\uFFFF', 'é', '😀', ' ', '\n', '0', '9', '=', '/', '<a>', '</a>', '<status>0</status>', '<amount>99.99</amount>'];

/** One to three random edits: flips, deletions, duplications, insertions, value swaps, truncation. */
export function mutate(text: string, random: () => number): string {
  const pick = (n: number) => Math.floor(random() * n);
  let out = text;
  const edits = 1 + pick(3);
  for (let i = 0; i < edits; i += 1) {
    const at = pick(out.length + 1);
    switch (pick(8)) {
      case 0: // change one character
        out = out.slice(0, at) + String.fromCharCode(32 + pick(95)) + out.slice(at + 1);
        break;
      case 1: // delete a range
        out = out.slice(0, at) + out.slice(at + 1 + pick(40));
        break;
      case 2: {
        // duplicate a range
        const end = Math.min(out.length, at + 1 + pick(80));
        out = out.slice(0, end) + out.slice(at, end) + out.slice(end);
        break;
      }
      case 3: // insert something XML cares about
        out = out.slice(0, at) + (INSERTS[pick(INSERTS.length)] ?? '') + out.slice(at);
        break;
      case 4: // change a digit inside a value
        out = out.replace(/>([0-9]+)</g, (match, digits: string) => (random() < 0.3 ? `>${String((Number(digits.slice(-1)) + 1) % 10).padStart(digits.length, digits.slice(0, -1) || '0')}<` : match));
        break;
      case 5: // truncate
        out = out.slice(0, at);
        break;
      case 6: {
        // swap the values of two elements
        const values = [...out.matchAll(/>([^<>]{1,40})</g)];
        const a = values[pick(values.length)];
        const b = values[pick(values.length)];
        if (a?.index !== undefined && b?.index !== undefined && a.index < b.index) {
          out = out.slice(0, a.index + 1) + (b[1] ?? '') + out.slice(a.index + 1 + (a[1]?.length ?? 0), b.index + 1) + (a[1] ?? '') + out.slice(b.index + 1 + (b[1]?.length ?? 0));
        }
        break;
      }
      default: // a byte the UTF-8 reader must survive
        out = out.slice(0, at) + String.fromCharCode(0xd800 + pick(0x400)) + out.slice(at);
    }
  }
  return out;
}
