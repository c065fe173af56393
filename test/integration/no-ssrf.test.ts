import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, SourceRef } from '../../src/model/index.ts';
import { startAllRoutesBridge, SIGNERS, ZPLUS_TEST_KEY, type AllRoutesBridge } from '../support/all-routes-bridge.ts';
import { delivery, FB_PAGE, metaJson, pageEntry, signMeta } from '../support/facebook-webhooks.ts';
import { smsParams, TEST_ACCOUNT_SID, TEST_FROM } from '../support/sms-webhooks.ts';
import { until } from '../support/wait.ts';

/**
 * Citizens and partners can send links to anywhere: a photo "at" the city's own intranet, the cloud's metadata
 * address. The bridge fetches none of them, and offers staff only links on the channel's own servers (or, from a
 * partner, public https ones). An "internal service" listens on loopback and counts who connects to it.
 */
describe('no request forgery: links in messages reach neither the bridge nor staff (running bridge, every route)', () => {
  let b: AllRoutesBridge;
  let inside: Server;
  let connections = 0;
  let port = 0;

  beforeAll(async () => {
    inside = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => inside.listen(0, '127.0.0.1', done));
    port = (inside.address() as { port: number }).port;
    b = await startAllRoutesBridge();
  }, 60_000);
  afterAll(async () => {
    await b?.stopAll();
    await new Promise((done) => inside?.close(done));
  });

  const post = async (path: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${b.app.url}${path}`, { method: 'POST', headers: { ...headers, ...(SIGNERS[path]?.(Buffer.from(body)) ?? {}) }, body });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };
  const filed = async (source: SourceRef): Promise<Attachment[]> => (await until('the ticket', () => b.app.store.findTicketBySource(source))).attachments;
  const urlsOf = (list: Attachment[]) => list.map((a) => a.url);

  it('SMS, Messenger, the intake API and Open311: off-host links are kept as "not kept" with why, and nothing connects inside', async () => {
    const inner = (p: string) => `https://127.0.0.1:${port}${p}`;
    const twilioMedia = `https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM${'5'.repeat(32)}/Media/ME${'6'.repeat(32)}`;

    const sms = smsParams(7301, { Body: `कोथरूडमध्ये कचरा साचला आहे, फोटो पहा http://127.0.0.1:${port}/look`, NumMedia: '2', MediaUrl0: inner('/Media/ME1'), MediaContentType0: 'image/jpeg', MediaUrl1: twilioMedia, MediaContentType1: 'image/jpeg' });
    await post('/webhooks/sms/twilio', new URLSearchParams(sms).toString(), { 'content-type': 'application/x-www-form-urlencoded' });

    const mid = `m_ssrf_${Date.now()}`;
    const fbPhoto = 'https://scontent.xx.fbcdn.net/v/t39.1997-6/pothole.jpg?oh=1&oe=2';
    const event = {
      sender: { id: '7300000000000001' }, recipient: { id: FB_PAGE }, timestamp: Date.now(),
      message: { mid, text: `हडपसर में सड़क पर गड्ढा है https://localhost:${port}/x`, attachments: [{ type: 'image', payload: { url: `http://127.0.0.1:${port}/a.jpg` } }, { type: 'image', payload: { url: fbPhoto } }, { type: 'image', payload: { url: 'https://evil-fbcdn.net.attacker.example/f.jpg' } }] },
    };
    const fbBody = metaJson(delivery(pageEntry([event])));
    await post('/webhooks/facebook', fbBody, { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(fbBody) });

    const partnerPhoto = 'https://photos.example.org/pothole-baner.jpg';
    const api = JSON.stringify({
      externalId: 'zplus-ssrf-1', sender: { name: 'Citizen', phone: '9740000123' }, text: 'Streetlight broken near Baner bus stop',
      attachments: [{ url: inner('/p.jpg'), mime: 'image/jpeg' }, { url: 'https://169.254.169.254/latest/meta-data/iam/', mime: 'text/plain' }, { url: `https://[::1]:${port}/v6`, mime: 'image/png' }, { url: 'https://gis.pmc.internal/photo.jpg', mime: 'image/jpeg' }, { url: partnerPhoto, mime: 'image/jpeg' }],
    });
    await post('/webhooks/api/zplus', api, { 'content-type': 'application/json' });

    const o311 = JSON.stringify({ api_key: ZPLUS_TEST_KEY, service_code: 'garbage', address_string: 'वारजे, पुणे', description: 'कचरा उचलला नाही', phone: '9740000124', media_url: `https://localhost:${port}/m.jpg` });
    await post('/open311/v2/requests.json', o311, { 'content-type': 'application/json' });

    const smsFiles = await filed({ channel: 'sms', accountId: TEST_FROM, externalId: sms.MessageSid! });
    expect(urlsOf(smsFiles)).toEqual([undefined, twilioMedia]);
    expect(smsFiles[0]!.refused).toBe("its link was not on the channel's own servers");

    const fbFiles = await filed({ channel: 'facebook', accountId: FB_PAGE, externalId: mid });
    expect(urlsOf(fbFiles)).toEqual([undefined, fbPhoto, undefined]);
    expect(fbFiles.filter((a) => a.refused).length).toBe(2);

    const apiFiles = await filed({ channel: 'api', accountId: 'zplus', externalId: 'zplus-ssrf-1' });
    expect(urlsOf(apiFiles)).toEqual([undefined, undefined, undefined, undefined, partnerPhoto]);
    expect(apiFiles.slice(0, 4).map((a) => a.refused)).toEqual(Array(4).fill('its link was not to a public https address'));

    const o311Files = await filed({ channel: 'api', accountId: 'zplus', externalId: `open311:${createHash('sha256').update(o311).digest('hex').slice(0, 40)}` });
    expect(o311Files).toEqual([{ kind: 'image', refused: 'its link was not to a public https address' }]);

    // every reply has gone out by now (the bot answered each); nothing the bridge did reached the inside service
    await until('the replies', async () => (await b.app.store.listOutbox()).filter((e) => e.state === 'sent').length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(connections).toBe(0);
  });
});
