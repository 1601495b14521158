import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

// Runs one of the edge's command-line tools (edge/tools/<script>.ts: backup, restore,
// audit-verify) as the owner would, on a data folder, with the audit key from that folder (not
// from this process's environment) and the backups in their default place.

const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

export function runEdgeTool(script: string, dataDir: string, args: readonly string[] = []): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, [`edge/tools/${script}.ts`, ...args], { cwd: root, env: { ...process.env, EDGE_AUDIT_KEY: '', EDGE_BACKUP_DIR: '', EDGE_DATA_DIR: dataDir }, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
