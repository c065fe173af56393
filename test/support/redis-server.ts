import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ownedByTest } from './bridge-process.ts';

export const REDIS_BIN = 'redis-server';

/**
 * A private, throwaway redis-server for one test (the distributed mode's queue): a free port on 127.0.0.1, no
 * persistence, its own folder. The test kills it (SIGKILL, as a crash) and restarts it on the same port, to see
 * what the bridge does while Redis is gone. Nothing is left running: stop() ends it, and `ownedByTest` kills it
 * with the test process.
 */
export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:<port> */
  url: string;
  /** SIGKILL: gone at once, as in a crash; waits until the port refuses connections */
  kill(): Promise<void>;
  /** starts it again on the same port (empty: it keeps nothing) */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedisServer(opts: { maxmemoryPolicy?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pmc-redis-'));
  // what the bridge needs of a Redis: keys never evicted (BullMQ's jobs are keys), and nothing written to disk here
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', opts.maxmemoryPolicy ?? 'noeviction'];
  let proc: ChildProcess | undefined;
  const launch = async () => {
    proc = ownedByTest(spawn(REDIS_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    const deadline = Date.now() + 10_000;
    while ((await command(port, 'PING').catch(() => '')) !== '+PONG') {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}:\n${out}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const end = async (signal: NodeJS.Signals) => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => end('SIGKILL'),
    restart: launch,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** one inline command over a fresh connection; its reply as Redis wrote it, trimmed ("+PONG", "-ERR …", an array) */
export function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('no answer from redis-server')));
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (d) => {
      reply += d.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.trimEnd());
      }
    });
    socket.on('error', reject);
  });
}
