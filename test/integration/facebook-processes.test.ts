import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKept } from '../../src/pipeline/channel-health.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { freePort, startBridge, startWorker, type BridgeProcess } from '../support/bridge-process.ts';
import { delivery, FB_APP_SECRET, FB_PAGE, FB_PAGE_2, FB_PAGE_2_TOKEN, FB_PAGE_TOKEN, FB_VERIFY_TOKEN, pageEntry, postToFacebookHook, textEvent } from '../support/facebook-webhooks.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { copyShippedConfig } from '../support/shipped-config.ts';
import { startSocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';

// the worker's sweep finds what the web process archived within 100 ms; the comments' catch-up runs at start only
const LOCAL_YAML = `
pipeline: { retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200, keepTryingMs: 0 }, sweepIntervalMs: 100 }
channels: { facebook: { commentsPollSeconds: 86400 } }
`;

// Messenger as an operator runs the bridge: `pmc-bridge start` child processes on one SQLite file, the real SDK
// against a fake Graph API.
describe('Facebook in separate processes', () => {
  let dir: string;
  let graph: FakeGraphApi;
  const running: BridgeProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pmc-fb-processes-'));
    copyShippedConfig(join(dir, 'config'));
    writeFileSync(join(dir, 'config', 'local.yaml'), LOCAL_YAML);
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN, [FB_PAGE_2]: FB_PAGE_2_TOKEN } });
  });
  afterAll(async () => {
    for (const p of running) p.proc.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await graph?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** one bridge's environment: its own SQLite file, one page */
  const envFor = (name: string, page: string, token: string): Record<string, string> => ({
    PMC_CONFIG_DIR: join(dir, 'config'),
    STORE_URL: `sqlite:${join(dir, `${name}.db`)}`,
    ATTACHMENTS_DIR: join(dir, `${name}-files`),
    FACEBOOK_APP_SECRET: FB_APP_SECRET, FACEBOOK_VERIFY_TOKEN: FB_VERIFY_TOKEN, FACEBOOK_PAGE_ID: page, FACEBOOK_PAGE_TOKEN: token,
    FACEBOOK_GRAPH_BASE: graph.url,
  });
  // killed at the end (their stores are this test's to read; a graceful stop is other tests' subject)
  const owned = <P extends BridgeProcess>(p: P): P => (running.push(p), p);

  it('marks the replies a worker sent delivered by the reads the web process takes', async () => {
    const env = envFor('split', FB_PAGE, FB_PAGE_TOKEN);
    const web = owned(await startBridge({ ...env, PMC_ROLE: 'web' }, await freePort()));
    owned(await startWorker(env));
    const store = SqliteStore.open(join(dir, 'split.db'), { ticketPrefix: 'PMC', firstTicketNumber: 10001 });
    try {
      const hook = `${web.url}/webhooks/facebook`;
      const citizens = [
        ['7100000000000701', 'कोथरूड मध्ये तीन दिवसांपासून पाणी येत नाही'],
        ['7100000000000702', 'हडपसर में सड़क पर बड़ा गड्ढा है'],
        ['7100000000000703', 'Garbage not collected near Aundh ITI road for a week'],
      ] as const;
      const wroteAt = Date.now();
      for (const [psid] of citizens) graph.userWrote(FB_PAGE, psid);
      expect((await postToFacebookHook(hook, delivery(pageEntry(citizens.map(([psid, text]) => textEvent(psid, text, FB_PAGE, wroteAt)))))).status).toBe(200);
      // the worker answers each (the web process sends nothing), and the outbox has each reply sent
      const replies = await until('a reply to each citizen, sent', async () => {
        const sent = (await store.listOutbox({ state: 'sent' })).filter((e) => e.message.channel === 'facebook');
        return citizens.every(([psid]) => sent.some((e) => e.message.to === psid)) ? sent : undefined;
      }, 20_000);
      const mids = replies.map((e) => e.providerId);
      expect(mids.every((mid) => graph.sentMessages().some((m) => m.messageId === mid))).toBe(true);
      const stateOf = async (psid: string) => (await store.listOutbox({ threadKey: psid })).map((e) => e.state);
      const read = (psid: string, watermark: number) => ({ sender: { id: psid }, recipient: { id: FB_PAGE }, timestamp: Date.now(), read: { watermark } });

      // read up to their own message only, before our reply: nothing of ours is read yet
      expect((await postToFacebookHook(hook, delivery(pageEntry(citizens.map(([psid]) => read(psid, wroteAt)))))).status).toBe(200);
      for (const [psid] of citizens) expect(await stateOf(psid)).toEqual(['sent']);
      // two of them read everything (one of them twice in the batch, the earlier read first): their replies are
      // delivered once the web process has answered; the third's stays sent
      const [[mr], [hi], [en]] = citizens;
      const now = Date.now();
      expect((await postToFacebookHook(hook, delivery(pageEntry([read(mr, wroteAt), read(mr, now), read(hi, now)])))).status).toBe(200);
      expect([await stateOf(mr), await stateOf(hi), await stateOf(en)]).toEqual([['delivered'], ['delivered'], ['sent']]);
    } finally {
      await store.close();
    }
  }, 90_000);

  it("says in the next start's banner which page to re-authorise when Meta refused its token", async () => {
    graph.expireToken(FB_PAGE_2);
    // a run (in this process, to save a start) whose catch-up poll is refused (190): the refusal is kept in the store
    const page2 = { FACEBOOK_PAGE_ID: FB_PAGE_2, FACEBOOK_PAGE_TOKEN: FB_PAGE_2_TOKEN };
    const earlier = await startSocialBridge({ graph }, { env: page2, dir: join(dir, 'banner') });
    try {
      await earlier.app.polls.runAll();
      await until('the refusal kept in the store', async () => (await readKept(earlier.app.store)).get(`facebook:${FB_PAGE_2}`)?.state === 'unauthorised');
    } finally {
      await earlier.close();
    }
    // at the next start Graph does not answer the poll at all: what the banner says can only come from the store
    graph.rudeNext(1, 'hang', `/${FB_PAGE_2}/posts`);
    const next = owned(await startBridge({ ...envFor('banner', FB_PAGE_2, FB_PAGE_2_TOKEN), PMC_CONFIG_DIR: join(dir, 'banner'), STORE_URL: `sqlite:${join(dir, 'banner', 'bridge.db')}` }, await freePort()));
    const banner = await until('the banner', () => (next.output().includes('  polls:') ? next.output() : undefined));
    expect(banner).toMatch(new RegExp(`! facebook ${FB_PAGE_2} refused at \\d{4}-\\d\\d-\\d\\dT[^:]+:\\d\\d:\\d\\d\\.\\d{3}Z: re-authorise page ${FB_PAGE_2}.*FACEBOOK_PAGE_TOKEN`));
    expect(banner).not.toContain(FB_PAGE_2_TOKEN);
  }, 90_000);
});
