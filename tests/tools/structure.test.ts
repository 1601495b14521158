import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The rules of the layout (ARCHITECTURE.md) that no compiler checks: small files in edge/core, and
// what a payment channel can do decided in one place — the channels, their composition and the
// shared operations table — never by comparing the transport elsewhere.

const root = resolve(import.meta.dirname, '../..');

async function sources(dir: string, extensions: readonly string[]): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && extensions.some((extension) => entry.name.endsWith(extension))).map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

/** Where a branch on the transport belongs: the channels, the composition, the operations table. */
const CHANNEL_PLACES = [/^edge\/core\/payments\/channels\//, /^edge\/core\/boot\.ts$/, /^edge\/core\/services\.ts$/, /^shared\/operations\.ts$/];
const TRANSPORT_BRANCH = /\btransport\s*[!=]==|[!=]==\s*[\w.]*\.transport\b/;

describe('the layout', () => {
  it('keeps every file of edge/core at 250 lines or fewer', async () => {
    const long: string[] = [];
    for (const file of await sources('edge/core', ['.ts'])) {
      const lines = (await readFile(join(root, file), 'utf8')).split('\n').length - 1;
      if (lines > 250) long.push(`${file}: ${lines}`);
    }
    expect(long).toEqual([]);
  });

  it('branches on the transport only in the channels and their composition', async () => {
    const files = [...(await sources('edge/core', ['.ts'])), ...(await sources('edge/adapters', ['.ts'])), ...(await sources('edge/tools', ['.ts'])), ...(await sources('shared', ['.ts'])), ...(await sources('web/src', ['.ts', '.svelte']))];
    expect(files.length).toBeGreaterThan(100);
    const branches = [];
    for (const file of files.filter((name) => !CHANNEL_PLACES.some((place) => place.test(name)))) {
      const lines = (await readFile(join(root, file), 'utf8')).split('\n');
      branches.push(...lines.flatMap((line, index) => (TRANSPORT_BRANCH.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])));
    }
    expect(branches).toEqual([]);
  });

  it('would see such a branch', () => {
    expect(TRANSPORT_BRANCH.test("if (terminal.transport === 'lan') return;")).toBe(true);
    expect(TRANSPORT_BRANCH.test("const cloud = payment.transport !== 'lan';")).toBe(true);
    expect(TRANSPORT_BRANCH.test("{#if 'lan' === terminal.transport}")).toBe(true);
    expect(TRANSPORT_BRANCH.test('const channel = channels.get(payment.transport);')).toBe(false);
    expect(TRANSPORT_BRANCH.test("if (error.kind === 'transport') return;")).toBe(false);
  });
});
