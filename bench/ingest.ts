import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import twilio from 'twilio';
import { freePort, ROOT } from '../test/support/bridge-process.ts';
import { ONE_CLIENT_YAML, postLoad, shippedStart, spawnReady, stop } from './processes.ts';
import { startFakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { smsBridgeEnv, smsParams, TEST_AUTH_TOKEN, TEST_PUBLIC_BASE_URL } from '../test/support/sms-webhooks.ts';
import { copyShippedConfig } from '../test/support/shipped-config.ts';

const PUBLIC = TEST_PUBLIC_BASE_URL;
const ROUTE = '/webhooks/sms/twilio';

/** Signed, distinct Twilio webhooks (each a new MessageSid, so none is dropped as a duplicate). */
const load = (port: number, seconds: number, offset: number) =>
  postLoad(port, ROUTE, seconds, offset, (n) => {
    const params = smsParams(n);
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, PUBLIC + ROUTE, params) },
      body: new URLSearchParams(params).toString(),
    };
  });

/**
 * The same signed load against: a bare fastify route; the bridge as one process doing everything (webhooks,
 * tickets, replies, sends); and the bridge as a web process with a worker process beside it on the same SQLite
 * file (the two-core deployment).
 */
export async function benchIngest(seconds = 8) {
  const barePort = await freePort();
  const bare = await spawnReady(['--import', 'tsx', 'bench/servers/bare-fastify.ts'], {}, barePort);
  const bareResult = await load(barePort, seconds, 1_000_000);
  await stop(bare);

  const fake = await startFakeTwilioApi();
  const run = async (roles: ('all' | 'web' | 'worker')[], offset: number, archiveSync: 'FULL' | 'NORMAL' = 'FULL') => {
    const dir = mkdtempSync(join(tmpdir(), 'pmc-ingest-'));
    const port = await freePort();
    // the shipped config, with the archive's durability set for this run
    copyShippedConfig(join(dir, 'config'));
    writeFileSync(join(dir, 'config/local.yaml'), `${ONE_CLIENT_YAML}store:\n  archiveSync: ${archiveSync}\n`);
    const env = { PMC_CONFIG_DIR: join(dir, 'config'), ...smsBridgeEnv(join(dir, 'bridge.db'), fake.url) };
    const procs: ChildProcess[] = [];
    for (const role of roles) {
      // as `npm start` runs it (its heap settings), in the role asked
      const args = [...shippedStart(), '--role', role];
      if (role === 'worker') procs.push(spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' }));
      else procs.push(await spawnReady(args, env, port));
    }
    const result = await load(port, seconds, offset);
    for (const p of procs) await stop(p);
    rmSync(dir, { recursive: true, force: true });
    return result;
  };
  const webOnly = await run(['web'], 2_000_000);
  const webOnlyNormal = await run(['web'], 5_000_000, 'NORMAL');
  const split = await run(['web', 'worker'], 4_000_000);
  const single = await run(['all'], 3_000_000);
  await fake.close();
  return { bare: bareResult, webOnly, webOnlyNormal, split, single };
}
