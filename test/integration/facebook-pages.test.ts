import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commentChange, delivery, FB_PAGE, FB_PAGE_2, FB_PAGE_2_TOKEN, FB_PAGE_TOKEN, pageEntry, postToFacebookHook } from '../support/facebook-webhooks.ts';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.ts';
import { ROOT } from '../support/bridge-process.ts';
import { startSocialBridge, type SocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';

const DAY = 86_400_000;
const mrTexts = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;
let mids = 0;
const SECOND_PAGE_YAML = `channels: { facebook: { pages: [{ id: '${FB_PAGE_2}', tokenEnv: FACEBOOK_PAGE_TOKEN_WARD, humanAgentTag: true }] } }\n`;

// Two pages of one app, page comments in public, the catch-up poll and an expired token: the real SDK against
// a fake Graph API.
describe('Facebook pages and comments', () => {
  let graph: FakeGraphApi;
  let bridge: SocialBridge;
  let hook: string;

  async function start(env: Record<string, string> = {}, dir?: string): Promise<void> {
    bridge = await startSocialBridge({ graph }, { localYaml: SECOND_PAGE_YAML, env: { FACEBOOK_PAGE_TOKEN_WARD: FB_PAGE_2_TOKEN, ...env }, ...(dir ? { dir } : {}) });
    hook = `${bridge.app.url}/webhooks/facebook`;
  }
  beforeAll(async () => {
    graph = await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN, [FB_PAGE_2]: FB_PAGE_2_TOKEN } });
    await start();
    await bridge.app.store.upsertMapping({ id: 'fb-kothrud', channel: 'facebook', accountId: FB_PAGE_2, department: 'KOTHRUD-WARD', ward: 'kothrud-bavdhan', defaultLanguage: 'mr', replyPolicy: 'conversational', slaHours: 48, enabled: true });
    await bridge.app.pipeline.sweep({ ratings: false });
  });
  afterAll(async () => {
    // a bridge restarted on the same dir (start({}, dir)) leaves it to its owner: this test, from the first start
    const dir = bridge?.dir;
    try {
      await bridge?.close();
      await graph?.close();
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  const ticketsOf = async (channelUserId: string) => (await bridge.app.store.listTickets({ limit: 1000 })).filter((t) => t.citizen.identities.some((i) => i.id === channelUserId));
  const message = (psid: string, page: string, text: string) => ({ sender: { id: psid }, recipient: { id: page }, timestamp: Date.now(), message: { mid: `m_pages${++mids}`, text } });

  it("answers a comment in public with the number and none of the citizen's details, and once in private", async () => {
    const post = graph.addPost(FB_PAGE, { message: 'पाणीपुरवठा वेळापत्रक' });
    const citizen = { id: '7200000000000001', name: 'Sunita Kulkarni' };
    const commentId = graph.addComment(post, { from: citizen, message: 'कोथरूड मध्ये तीन दिवस पाणी आले नाही. माझा नंबर 9812345678, घर क्र. 14 गांधी भवन रोड' });
    const body = delivery(commentChange(FB_PAGE, post, commentId, citizen, 'कोथरूड मध्ये तीन दिवस पाणी आले नाही. माझा नंबर 9812345678, घर क्र. 14 गांधी भवन रोड'));
    expect((await postToFacebookHook(hook, body)).status).toBe(200);
    expect((await postToFacebookHook(hook, body)).status).toBe(200); // Meta redelivers
    const reply = await until('the public reply', () => graph.sentComments().find((c) => c.parentId === commentId));
    const [ticket] = await ticketsOf(citizen.id);
    expect(reply.message).toContain(ticket!.ticketNo);
    // in the citizen's Marathi: the number, and the invitation to write to us in private (Messenger)
    expect(reply.message).toBe(mrTexts.publicFiled!.replace('{ticketNo}', ticket!.ticketNo));
    expect(reply.message).toContain('आम्हाला DM करा');
    expect(reply.message).not.toMatch(/9812345678|Sunita|Kulkarni|गांधी|14/);
    const privately = await until('the private reply', () => graph.sentMessages().find((m) => m.recipient.comment_id === commentId));
    expect(privately.message.text).toContain(ticket!.ticketNo);
    expect(ticket).toMatchObject({ ward: 'kothrud-bavdhan', category: 'water-supply' });
    // one ticket, one public reply, one private reply, however often Meta delivered it
    await bridge.app.polls.runAll(); // the catch-up reads the same comment again
    expect(await ticketsOf(citizen.id)).toHaveLength(1);
    expect(graph.sentComments().filter((c) => c.parentId === commentId)).toHaveLength(1);
    expect(graph.sentMessages().filter((m) => m.recipient.comment_id === commentId)).toHaveLength(1);
  });

  it("takes neither the page's own comments nor edits and removals for complaints", async () => {
    const post = graph.addPost(FB_PAGE);
    const own = commentChange(FB_PAGE, post, `${post.split('_')[1]}_900001`, { id: FB_PAGE, name: 'PMC' }, 'आपली तक्रार नोंदवली आहे');
    const edited = commentChange(FB_PAGE, post, `${post.split('_')[1]}_900002`, { id: '7200000000000002', name: 'A' }, 'Garbage near Baner road');
    ((edited.changes as { value: { verb: string } }[])[0]!.value.verb) = 'edited';
    const res = await postToFacebookHook(hook, delivery(own, edited));
    expect(res.status).toBe(200);
    await bridge.app.pipeline.sweep({ ratings: false });
    expect(await ticketsOf(FB_PAGE)).toHaveLength(0);
    expect(await ticketsOf('7200000000000002')).toHaveLength(0);
  });

  it("never takes a comment of one of our pages on another of ours for a complaint, pushed or polled", async () => {
    const post = graph.addPost(FB_PAGE_2, { message: 'वॉर्ड कार्यालयाची सूचना' });
    const ours = { id: FB_PAGE, name: 'PMC' };
    const pushed = graph.addComment(post, { from: ours, message: 'Please also write to us on Messenger: garbage complaints are filed there' });
    const res = await postToFacebookHook(hook, delivery(commentChange(FB_PAGE_2, post, pushed, ours, 'Please also write to us on Messenger: garbage complaints are filed there')));
    expect(res.status).toBe(200);
    const polled = graph.addComment(post, { from: ours, message: 'पाणीपुरवठा उद्या बंद राहील, कोथरूड' }); // only the catch-up poll reads this one
    await bridge.app.polls.runAll();
    await bridge.app.pipeline.sweep({ ratings: false });
    for (const id of [pushed, polled]) expect(await bridge.app.store.getInboundBySource({ channel: 'facebook', accountId: FB_PAGE_2, externalId: id })).toBeUndefined();
    expect(await ticketsOf(FB_PAGE)).toHaveLength(0);
  });

  it('routes each entry of one delivery by its own page’s mapping', async () => {
    for (const [psid, page] of [['7200000000000010', FB_PAGE], ['7200000000000011', FB_PAGE_2]] as const) graph.userWrote(page, psid);
    const res = await postToFacebookHook(
      hook,
      delivery(
        pageEntry([message('7200000000000010', FB_PAGE, 'Garbage not collected near Aundh ITI road for a week')], FB_PAGE),
        pageEntry([message('7200000000000011', FB_PAGE_2, 'कचरा उचलला गेला नाही, औंध गावात')], FB_PAGE_2),
      ),
    );
    expect(res.status).toBe(200);
    for (const [psid, page, answer] of [['7200000000000010', FB_PAGE, 'no'], ['7200000000000011', FB_PAGE_2, 'नाही']] as const) {
      await until(`the photo question to ${psid}`, () => graph.sentMessages().find((m) => m.recipient.id === psid && m.pageId === page));
      await postToFacebookHook(hook, delivery(pageEntry([message(psid, page, answer)], page)));
    }
    const [first] = await until('the first ticket', async () => (await ticketsOf('7200000000000010'))[0] && ticketsOf('7200000000000010'));
    const [second] = await until('the second ticket', async () => (await ticketsOf('7200000000000011'))[0] && ticketsOf('7200000000000011'));
    expect(first!.department).not.toBe('KOTHRUD-WARD');
    expect(first!.sources[0]).toMatchObject({ accountId: FB_PAGE });
    expect(first!.history[0]!.by).toBe('facebook:facebook-default');
    // the ward page's mapping: its ward, whatever place the complaint names (the category picks the department)
    expect(second!.history[0]!.by).toBe('facebook:fb-kothrud');
    expect(second).toMatchObject({ ward: 'kothrud-bavdhan', sources: [expect.objectContaining({ accountId: FB_PAGE_2 }), expect.anything()] });
  });

  it("replies within HUMAN_AGENT's 7 days where the page has the tag", async () => {
    const psid = '7200000000000012';
    graph.userWrote(FB_PAGE_2, psid, new Date(Date.now() - 3 * DAY));
    // the citizen's message itself is three days old (a delayed delivery, or a status update to an old conversation)
    const old = { ...message(psid, FB_PAGE_2, 'पौड रोडवर पथदिवा बंद आहे'), timestamp: Date.now() - 3 * DAY };
    expect((await postToFacebookHook(hook, delivery(pageEntry([old], FB_PAGE_2)))).status).toBe(200);
    const sent = await until('the tagged reply', () => graph.sentMessages().find((m) => m.recipient.id === psid));
    expect(sent).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('catches up on comments that came while the bridge was down', async () => {
    const dir = bridge.dir;
    await bridge.close({ keepFiles: true });
    const post = graph.addPost(FB_PAGE);
    const missed = graph.addComment(post, { from: { id: '7200000000000020', name: 'R' }, message: 'Huge pothole on Senapati Bapat Road near the signal' });
    await start({}, dir);
    await until('the missed comment filed', async () => (await ticketsOf('7200000000000020')).length === 1);
    await until('its public reply', () => graph.sentComments().find((c) => c.parentId === missed));
  });

  it('holds replies of a page whose token expired, says so in /readyz, and sends them once a new token is set', async () => {
    graph.expireToken(FB_PAGE);
    const writers = ['7200000000000030', '7200000000000031', '7200000000000032'];
    for (const psid of writers) graph.userWrote(FB_PAGE, psid);
    await postToFacebookHook(hook, delivery(pageEntry(writers.map((p) => message(p, FB_PAGE, 'Water supply is dirty in Erandwane since Monday')), FB_PAGE)));
    const ready = await until('/readyz naming the page', async () => {
      const body = (await (await fetch(`${bridge.app.url}/readyz`)).json()) as { ready: boolean; channels: { facebook: { accounts?: Record<string, { state: string; action?: string }> } } };
      return body.channels.facebook.accounts?.[FB_PAGE]?.state === 'unauthorised' ? body : undefined;
    });
    expect(ready.ready).toBe(true); // every other page and channel still works
    expect(ready.channels.facebook.accounts![FB_PAGE]!.action).toMatch(new RegExp(`re-authorise page ${FB_PAGE}.*FACEBOOK_PAGE_TOKEN`));
    // no retry storm: each reply was tried at most once (three went out together), and then none is tried again
    const refused = () => graph.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/${FB_PAGE}/messages`) && writers.some((w) => JSON.stringify(r.body).includes(w))).length;
    await new Promise((r) => setTimeout(r, 300));
    const tried = refused();
    expect(tried).toBeLessThanOrEqual(writers.length);
    await new Promise((r) => setTimeout(r, 1000)); // ten sweeps, retries in milliseconds (FAST_PIPELINE_YAML)
    expect(refused()).toBe(tried);
    const held = (await bridge.outbox('facebook')).filter((e) => writers.includes(e.message.to));
    expect(held.map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    expect(held.every((e) => e.attempts === 0)).toBe(true);
    expect(JSON.stringify(ready)).not.toContain(FB_PAGE_TOKEN);
    // a supervisor makes a new token and restarts: the held replies go at once
    const fresh = 'EAAtestpagetokenrenewed00000000001';
    graph.setToken(FB_PAGE, fresh);
    const dir = bridge.dir;
    await bridge.close({ keepFiles: true });
    await start({ FACEBOOK_PAGE_TOKEN: fresh }, dir);
    for (const psid of writers) await until(`the held reply to ${psid}`, () => graph.sentMessages().find((m) => m.recipient.id === psid));
  });
});
