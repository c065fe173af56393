import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, ROOT, startBridge } from '../support/bridge-process.ts';
import { startFakeTwilioApi } from '../support/fake-twilio-api.ts';
import { smsBridgeEnv } from '../support/sms-webhooks.ts';

// what a channel, the Redis queue or an unused part of botbuilder would bring into memory
const HEAVY = ['twilio', 'facebook-nodejs-business-sdk', 'twitter-api-v2', 'imapflow', 'nodemailer', 'mailparser', 'bullmq', 'ioredis', 'mongoose', 'exceljs'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** the packages a bridge started with `env` loaded by the time it was ready */
async function packagesLoaded(env: Record<string, string>): Promise<Set<string>> {
  const dir = mkdtempSync(join(tmpdir(), 'pmc-lazy-'));
  dirs.push(dir);
  const record = join(dir, 'loads.txt');
  const bridge = await startBridge(
    { STORE_URL: `sqlite:${join(dir, 'bridge.db')}`, ATTACHMENTS_DIR: join(dir, 'attachments'), NODE_OPTIONS: `--import ${join(ROOT, 'test/support/record-loads.mjs')}`, RECORD_LOADS: record, ...env },
    await freePort(),
  );
  bridge.proc.kill('SIGTERM');
  await bridge.exited;
  const urls = readFileSync(record, 'utf8').split('\n');
  const names = urls.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n): n is string => !!n);
  const dialogsIndex = urls.some((u) => u.endsWith('node_modules/botbuilder-dialogs/lib/index.js'));
  const bundled = urls.some((u) => /node_modules\/\.cache\/pmc-bridge\/[0-9a-f]{16}\/cli\.js$/.test(u));
  return new Set([...names, ...(dialogsIndex ? ['botbuilder-dialogs (index, with its prompts)'] : []), ...(bundled ? ['(the bundled sources)'] : [])]);
}

describe('a channel that is off costs no memory (bridge processes, as started by the CLI)', () => {
  it('with no channel credentials: none of the SDKs, no BullMQ, and none of botbuilder-dialogs prompts', async () => {
    const loaded = await packagesLoaded({});
    expect(loaded.has('botbuilder')).toBe(true); // the recorder sees packages: the bot's is there
    expect(HEAVY.filter((p) => loaded.has(p))).toEqual([]);
    expect(loaded.has('botbuilder-dialogs (index, with its prompts)')).toBe(false);
    // the sources as bundled JavaScript: no TypeScript loader, whose thread holds ~45 MB for the life of the process
    expect(loaded.has('(the bundled sources)')).toBe(true);
    expect(loaded.has('tsx')).toBe(false);
  }, 90_000);

  it('with SMS on, the Twilio SDK is loaded, and still no other channel SDK', async () => {
    const fake = await startFakeTwilioApi();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'pmc-lazy-sms-'));
      dirs.push(dir);
      const loaded = await packagesLoaded(smsBridgeEnv(join(dir, 'bridge.db'), fake.url));
      expect(HEAVY.filter((p) => loaded.has(p))).toEqual(['twilio']);
    } finally {
      await fake.close();
    }
  }, 90_000);
});
