import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCATION_LABEL } from '../../src/connectors/webchat/parse.ts';
import { ROOT } from '../support/bridge-process.ts';
import { gradientPng } from '../support/png.ts';
import { until } from '../support/wait.ts';
import { DirectLineClient, shown, startWebChatBridge, WEBCHAT_YAML, type WebChatBridge } from '../support/webchat-bridge.ts';

const mr = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'mr.yaml'), 'utf8')) as Record<string, string>;
const hi = parseYaml(readFileSync(join(ROOT, 'config', 'messages', 'hi.yaml'), 'utf8')) as Record<string, string>;

/** what DirectLineJS posts for a message with files: the files, and the activity as a part of its own */
function upload(chat: DirectLineClient, files: { bytes: Buffer; name: string; type: string }[], activity: object = {}): Promise<Response> {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
  const posted = { type: 'message', from: { id: chat.userId, role: 'user' }, channelData: { clientActivityID: `up-${Math.random()}` }, ...activity };
  form.append('activity', new Blob([JSON.stringify(posted)], { type: 'application/vnd.microsoft.activity' }));
  return fetch(`${bridgeUrl}/v3/directline/conversations/${chat.conversationId}/upload?userId=${chat.userId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${chat.token}` },
    body: form,
  });
}
let bridgeUrl = '';

// Photos, a shared location and a citizen who comes back, at the HTTP level (the browser test does the same through
// the page): what the bridge takes, what it refuses and says why, and who may see what.
describe('web chat photos, location and returning citizens', () => {
  let bridge: WebChatBridge;
  beforeAll(async () => {
    bridge = await startWebChatBridge(`${WEBCHAT_YAML}channels: { webchat: { maxPhotoBytes: 200000 } }\n`);
    bridgeUrl = bridge.url;
  });
  afterAll(async () => {
    await bridge?.close();
  });

  it('takes a photo as the answer to the photo question: one ticket with it, kept byte for byte, shown by a signed link', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    await chat.post('वारजे येथे गटार तुंबले आहे', 'c1');
    expect(shown((await chat.botMessages(1))[0]!.text)).toBe(mr.askPhoto);
    const photo = gradientPng(200, 150, [120, 60, 30]);
    const res = await upload(chat, [{ bytes: photo, name: 'gatar.png', type: 'image/png' }]);
    expect(res.status).toBe(200);
    const [, filed] = await chat.botMessages(2);
    const ticket = await bridge.app.store.getTicket(/PMC\d+/.exec(shown(filed!.text))![0]);
    expect(ticket?.attachments).toEqual([expect.objectContaining({ kind: 'image', mime: 'image/png', size: photo.length, name: 'gatar.png' })]);
    expect((await bridge.app.attachments.get(ticket!.attachments[0]!.storedRef!))?.equals(photo)).toBe(true);

    // the citizen's echo shows the photo from the bridge, by a link signed for this conversation
    const echo = chat.seen.find((a) => a.from.role === 'user' && a.attachments?.length);
    const link = echo!.attachments![0]!.contentUrl!;
    expect(link).toMatch(/^chat\/files\/[0-9a-f]{64}\?/);
    const got = await fetch(`${bridge.url}/${link}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await got.arrayBuffer()).equals(photo)).toBe(true);
    // without the signature, with another's, or for another conversation: nothing, and no hint there is a file
    const url = new URL(link, `${bridge.url}/`);
    const tamper = (k: string, v: string) => {
      const u = new URL(url);
      u.searchParams.set(k, v);
      return fetch(u).then((r) => r.status);
    };
    expect(await fetch(`${bridge.url}/chat/files/${url.pathname.split('/').pop()}`).then((r) => r.status)).toBe(404);
    expect(await tamper('c', 'wc-someone-else')).toBe(404);
    expect(await tamper('e', String(Math.floor(Date.now() / 1000) + 10 * 86_400))).toBe(404);
    expect(await tamper('s', 'x'.repeat(43))).toBe(404);
  });

  it('refuses what is not a photo, a photo too large and too many at once, saying why, and files nothing', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    await chat.post('बाणेर येथे पथदिवा बंद आहे', 'c1');
    await chat.botMessages(1);
    const before = (await bridge.app.store.listTickets()).length;

    // a script named .jpg and sent as image/jpeg: its bytes say what it is
    const fake = await upload(chat, [{ bytes: Buffer.from('<script>alert(1)</script>'.repeat(10)), name: 'photo.jpg', type: 'image/jpeg' }]);
    expect(fake.status).toBe(415);
    expect(await fake.json()).toMatchObject({ code: 'not-a-photo', error: expect.stringMatching(/only photos/) });
    // a real photo's header, and more bytes than maxPhotoBytes (200 KB here)
    const big = await upload(chat, [{ bytes: Buffer.concat([gradientPng(10, 10), Buffer.alloc(250_000)]), name: 'big.png', type: 'image/png' }]);
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'photo-too-large', error: 'a photo may be at most 200 KB' });
    const four = Array.from({ length: 4 }, (_v, i) => ({ bytes: gradientPng(20, 20, [i * 40, 0, 0]), name: `p${i}.png`, type: 'image/png' }));
    const many = await upload(chat, four);
    expect(many.status).toBe(413);
    expect(await many.json()).toMatchObject({ code: 'too-many-photos' });
    // the page tells the citizen the same limit
    expect(await (await fetch(`${bridge.url}/chat`)).text()).toContain('data-max-photo="200 KB"');

    // none of them reached the bot or the archive: still the photo question, nothing filed
    await chat.poll();
    expect(chat.seen.filter((a) => a.from.role === 'user')).toHaveLength(1);
    expect((await bridge.app.store.listTickets()).length).toBe(before);
  });

  it('drops a photo reference a client made up, or signed for another conversation, in a plain message', async () => {
    const owner = new DirectLineClient(bridge.url);
    await owner.start();
    await owner.post('कोथरूड येथे कचरा पडला आहे', 'o1');
    await owner.botMessages(1);
    await upload(owner, [{ bytes: gradientPng(30, 30, [1, 2, 3]), name: 'mine.png', type: 'image/png' }]);
    const echo = await until('the echo of the photo', async () => (await owner.poll(), owner.seen.find((a) => a.attachments?.length)));
    const theirs = (echo as unknown as { attachments: { content: { ref: string; size: number; sig: string } }[] }).attachments[0]!.content;

    const other = new DirectLineClient(bridge.url);
    await other.start();
    // JSON posts carry no attachments at all (they are stripped), and /api/messages checks each signature
    const res = await fetch(`${bridge.url}/v3/directline/conversations/${other.conversationId}/activities`, {
      method: 'POST',
      headers: other.headers(),
      body: JSON.stringify({ type: 'message', text: 'कोथरूड येथे कचरा', attachments: [{ contentType: 'image/png', content: theirs }] }),
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const archived = await until('archived', () => bridge.app.store.getInboundBySource({ channel: 'webchat', accountId: 'site', externalId: id }));
    expect(archived.message.attachments).toEqual([]);

    // straight to the bot endpoint, with the owner's signed reference: signed for another conversation, so dropped
    const direct = {
      type: 'message',
      id: `${other.conversationId}|9000001`,
      timestamp: new Date().toISOString(),
      channelId: 'webchat',
      text: 'कोथरूड येथे कचरा',
      conversation: { id: other.conversationId },
      from: { id: other.userId, role: 'user' },
      recipient: { id: 'pmc', role: 'bot' },
      attachments: [{ contentType: 'image/png', content: theirs }],
    };
    const toBot = await fetch(`${bridge.url}/api/messages`, { method: 'POST', headers: other.headers(), body: JSON.stringify(direct) });
    expect(toBot.status).toBe(200);
    const viaBot = await until('archived', () => bridge.app.store.getInboundBySource({ channel: 'webchat', accountId: 'site', externalId: direct.id }));
    expect(viaBot.message.attachments).toEqual([]);
    // the same reference in its own conversation is kept
    const own = { ...direct, id: `${owner.conversationId}|9000001`, conversation: { id: owner.conversationId }, from: { id: owner.userId, role: 'user' } };
    expect((await fetch(`${bridge.url}/api/messages`, { method: 'POST', headers: owner.headers(), body: JSON.stringify(own) })).status).toBe(200);
    const kept = await until('archived', () => bridge.app.store.getInboundBySource({ channel: 'webchat', accountId: 'site', externalId: own.id }));
    expect(kept.message.attachments).toEqual([expect.objectContaining({ kind: 'image', storedRef: theirs.ref })]);
  });

  it('a shared location is the place: the ticket has the point; the page label is not taken for words', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    await chat.post('रस्त्यावर पाणी साचले आहे', 'l1');
    expect(shown((await chat.botMessages(1))[0]!.text)).toBe(mr.askWhere);
    const res = await fetch(`${bridge.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: chat.headers(),
      body: JSON.stringify({ type: 'message', text: LOCATION_LABEL, channelData: { clientActivityID: 'l2', location: { lat: 18.5204, lon: 73.8567, accuracy: 12 } } }),
    });
    expect(res.status).toBe(200);
    expect(shown((await chat.botMessages(2))[1]!.text)).toBe(mr.askPhoto);
    await chat.post('नाही', 'l3');
    const [, , filed] = await chat.botMessages(3);
    const ticket = await bridge.app.store.getTicket(/PMC\d+/.exec(shown(filed!.text))![0]);
    expect(ticket).toMatchObject({ location: { lat: 18.5204, lon: 73.8567 }, description: { original: 'रस्त्यावर पाणी साचले आहे' } });
    // the page says the label it sends
    const page = await (await fetch(`${bridge.url}/chat`)).text();
    const script = /<script src="(chat\/assets\/page\.[0-9a-f]{12}\.js)"/.exec(page)![1]!;
    expect(await (await fetch(`${bridge.url}/${script}`)).text()).toContain(`'${LOCATION_LABEL}'`);
    // a point out of this world is refused
    const bad = await fetch(`${bridge.url}/v3/directline/conversations/${chat.conversationId}/activities`, {
      method: 'POST',
      headers: chat.headers(),
      body: JSON.stringify({ type: 'message', text: LOCATION_LABEL, channelData: { location: { lat: 123, lon: 73.8 } } }),
    });
    expect(bad.status).toBe(400);
  });

  it('a returning citizen (the token their browser keeps) gets their conversation back, transcript and language', async () => {
    const first = new DirectLineClient(bridge.url);
    await first.start();
    await first.post('हिंदी', 'h1');
    await first.botMessages(1);
    await first.post('मेरे घर के सामने कचरा पड़ा है', 'h2');
    const [, askWhere] = await first.botMessages(2);
    expect(shown(askWhere!.text)).toBe(hi.askWhere);

    // a reload: the same browser, its citizen token
    const again = new DirectLineClient(bridge.url, { citizen: first.citizen });
    await again.start();
    expect(again.resumed).toBe(true);
    expect(again.conversationId).toBe(first.conversationId);
    expect(again.userId).toBe(first.userId);
    // the whole transcript, in order, greeting first, and no second greeting
    expect(again.seen.map((a) => a.id)).toEqual(first.seen.map((a) => a.id));
    // and the complaint goes on where it was
    await again.post('औंध, ब्रेमेन चौक', 'h3');
    expect(shown((await again.botMessages(1))[0]!.text)).toBe(hi.askPhoto);

    // a token this bridge did not sign, or one edited to name the first citizen, makes a new citizen
    const [h, payload] = first.citizen.split('.');
    const edited = `${h}.${payload}.${'A'.repeat(43)}`;
    for (const citizen of [edited, 'not-a-token']) {
      const stranger = new DirectLineClient(bridge.url, { citizen });
      await stranger.start();
      expect(stranger.resumed).toBe(false);
      expect(stranger.userId).not.toBe(first.userId);
      expect(stranger.seen.some((a) => a.text?.includes('कचरा'))).toBe(false);
    }
  });

  it('a conversation survives a bridge restart: the same token reads on, and the complaint goes on to one ticket', async () => {
    const chat = new DirectLineClient(bridge.url);
    await chat.start();
    await chat.post('येरवडा येथे ड्रेनेज तुंबले आहे', 'r1');
    expect(shown((await chat.botMessages(1))[0]!.text)).toBe(mr.askPhoto);
    const before = (await bridge.app.store.listTickets()).length;
    await bridge.restart();
    expect((await chat.post('नाही', 'r2')).status).toBe(200);
    const [, filed] = await chat.botMessages(2);
    expect(shown(filed!.text)).toMatch(/तक्रार क्रमांक: PMC\d+/);
    expect((await bridge.app.store.listTickets()).length).toBe(before + 1);
  });
});
