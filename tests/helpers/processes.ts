import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * Starts a command in its own process group and resolves once its output contains `ready`;
 * rejects, with the output, if it exits first.
 */
export function spawnUntilReady(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv; ready: string }): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(options.ready)) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${out}`)));
  });
}

/** Signals the whole process group (npm, tsx and the program they run). */
export function signalGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (child?.pid) process.kill(-child.pid, signal);
}

/**
 * The environment of an edge started as its own process in live mode against a simulator on
 * loopback (the demo keys the simulator made in dir), so it can be killed and started again.
 */
export function liveEdgeEnv(base: Readonly<Record<string, string>>, port: number, dir: string, sim: { endpoint: string; certificateFile: string }): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...base,
    PORT: String(port),
    EDGE_DATA_DIR: join(dir, 'edge'),
    MYPOS_ENDPOINT: sim.endpoint,
    MYPOS_LOGIN: 'shop@example.com',
    MYPOS_PRIVATE_KEY_FILE: join(dir, 'keys/partner-key.pem'),
    MYPOS_CERT_FILE: sim.certificateFile,
  };
}
