import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { ROOT } from '../test/support/bridge-process.ts';

/**
 * local.yaml for a bridge the load generator hits: all its requests come from one loopback address, which the
 * shipped per-client limit would cut off at 100 a second. The check still runs on every request.
 */
export const ONE_CLIENT_YAML = 'server: { clientLimits: { requestsPerMinute: 1000000000 } }\n';

/** `npm start`'s node arguments (its heap settings with them), read from package.json: the process as shipped */
export function shippedStart(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [node, ...args] = script.split(/\s+/);
  if (node !== 'node' || !args.includes('bin/pmc-bridge.js')) throw new Error(`npm start is not "node … bin/pmc-bridge.js start": ${script}`);
  return args;
}

/** node's own arguments in `npm start` (the heap settings), without the script and its command */
export function shippedNodeArgs(): string[] {
  const args = shippedStart();
  return args.slice(0, args.indexOf('bin/pmc-bridge.js'));
}

/**
 * Starts a server process (the bridge, or a baseline) and resolves once it answers on `port`. Its log lines (pino
 * on stdout, warnings and errors only at LOG_LEVEL=warn) and node's own warnings are shown as they come; the rest of
 * its stderr (the bridge's start banner, a stack trace) only if it does not start or ends badly, so the figures are
 * not lost among banners.
 */
export async function spawnReady(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: proc.stdout! }).on('line', (line) => process.stderr.write(line + '\n'));
  const held: string[] = [];
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    if (line.startsWith('(node:')) process.stderr.write(line + '\n');
    else if (held.push(line) > 200) held.shift();
  });
  let shown = false;
  const showHeld = () => {
    if (!shown && held.length > 0) process.stderr.write(held.join('\n') + '\n');
    shown = true;
  };
  // 'close', not 'exit': the last lines of a crash are read by then
  proc.once('close', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') showHeld();
  });
  for (let i = 0; i < 400; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${args.includes('start') ? '/readyz' : '/'}`);
      await res.arrayBuffer();
      return proc;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  proc.kill('SIGKILL');
  showHeld();
  throw new Error(`${args.join(' ')} did not start`);
}

/** SIGTERM, and the exit awaited. */
export async function stop(proc: ChildProcess): Promise<void> {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
}

export interface LoadResult {
  rps: number;
  non2xx: number;
  p99: number;
}

/**
 * Distinct signed webhooks POSTed to `path` over 32 connections for `seconds`: `request(n)` makes the n-th (a new
 * provider id each time, so none is dropped as a repeat), n counting from `offset`.
 */
export async function postLoad(port: number, path: string, seconds: number, offset: number, request: (n: number) => { headers: Record<string, string>; body: string }): Promise<LoadResult> {
  let i = offset;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 32,
    duration: seconds,
    requests: [{ method: 'POST', path, setupRequest: (req) => ({ ...req, ...request(i++) }) }],
  });
  return { rps: result.requests.average, non2xx: result.non2xx + result.errors, p99: result.latency.p99 };
}
