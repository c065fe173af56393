import { afterAll, expect, it } from 'vitest';
import { command, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { describeNeeding } from '../support/system-tools.ts';

// The private Redis the distributed mode's tests use (issue 15): what those tests will rely on, checked on its own.
describeNeeding('redis-server', 'a private redis-server for tests', () => {
  const servers: RedisServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('starts on a free port with keys never evicted, dies on SIGKILL, and comes back on the same port', async () => {
    const redis = await startRedisServer();
    servers.push(redis);
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await command(redis.port, 'CONFIG GET maxmemory-policy')).toContain('noeviction');
    expect(await command(redis.port, 'SET pmc:probe तक्रार')).toBe('+OK');

    await redis.kill();
    await expect(command(redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);

    await redis.restart();
    expect(await command(redis.port, 'PING')).toBe('+PONG');
    // nothing is kept across the crash: the queue must not rely on it
    expect(await command(redis.port, 'EXISTS pmc:probe')).toBe(':0');
  });

  it('can be started with an evicting policy, for the start-up check that refuses one', async () => {
    const redis = await startRedisServer({ maxmemoryPolicy: 'allkeys-lru' });
    servers.push(redis);
    expect(await command(redis.port, 'CONFIG GET maxmemory-policy')).toContain('allkeys-lru');
  });
});
