import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Every bridge a test starts. A test that fails between start and kill would otherwise leave its bridge running
// for good (each test file runs in a process of its own: when it exits, so do its bridges).
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});

/** makes sure `proc` does not outlive the test file that started it */
export function ownedByTest<P extends ChildProcess>(proc: P): P {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  return proc;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface BridgeProcess {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `pmc-bridge start` as a child process, the way an operator would, and waits for /readyz. */
// a bridge starts in 1–3 s on a quiet machine; CI runs test files side by side on two cores, where it can take 30 s
const START_DEADLINE_MS = 60_000;

/** `nodeArgs`: node's own arguments before the script (a bench passes npm start's heap settings) */
export async function startBridge(env: Record<string, string>, port: number, nodeArgs: string[] = []): Promise<BridgeProcess> {
  const proc = ownedByTest(spawn(process.execPath, [...nodeArgs, 'bin/pmc-bridge.js', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', QUIET_HOURS: 'off', NOTIFY_SETTLE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_DEADLINE_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the bridge exited during start:\n${out}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the bridge did not become ready in ${START_DEADLINE_MS / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, url, output: () => out, exited };
}

/** Runs the CLI once and returns what it printed; `input` goes to its stdin (how an operator pipes a password in). */
export async function runCli(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ['bin/pmc-bridge.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) proc.stdin!.end(input);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

/** Runs `pmc-bridge start --role worker` as a child process and waits for its banner (a worker does not listen). */
export async function startWorker(env: Record<string, string>, nodeArgs: string[] = []): Promise<BridgeProcess> {
  const proc = ownedByTest(spawn(process.execPath, [...nodeArgs, 'bin/pmc-bridge.js', 'start', '--role', 'worker'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', QUIET_HOURS: 'off', NOTIFY_SETTLE_SECONDS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!out.includes('worker started')) {
    if (gone) throw new Error(`the worker exited during start:\n${out}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`the worker did not start in ${START_DEADLINE_MS / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, url: '(worker)', output: () => out, exited };
}
