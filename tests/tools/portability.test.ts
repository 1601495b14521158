import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// edge/core and shared/ must run on Workers too: their tsconfig has no Node types, so a `node:`
// import does not compile. This test proves the guard bites, and that no such import is there now.

const root = resolve(import.meta.dirname, '../..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => join(entry.parentPath, entry.name));
}

describe('portability of edge/core and shared', () => {
  it('has no Node module imports', async () => {
    for (const file of [...(await sources(join(root, 'edge/core'))), ...(await sources(join(root, 'shared')))]) {
      expect(await readFile(file, 'utf8'), file).not.toMatch(/from ['"](node:|fs['"]|path['"]|crypto['"]|http['"])/);
    }
  });

  it('the edge/core compiler settings refuse a node: import', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'portability-'));
    try {
      await writeFile(join(dir, 'probe.ts'), "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(root, 'edge/core/tsconfig.json'), include: [], files: [join(dir, 'probe.ts')] }));
      let output = '';
      try {
        execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: root });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output).toMatch(/node:fs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
