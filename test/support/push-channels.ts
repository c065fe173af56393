import { signBody } from '../../src/connectors/intake/verify.ts';
import { tokenKey } from '../../src/connectors/lokshahi/parse.ts';
import type { SourceRef } from '../../src/model/index.ts';
import { join } from 'node:path';
import { delivery, FB_APP_SECRET, FB_PAGE, FB_PAGE_TOKEN, FB_VERIFY_TOKEN, pageEntry, postToFacebookHook, textEvent } from './facebook-webhooks.ts';
import { startFakeGraphApi, type FakeGraphApi } from './fake-graph-api.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from './fake-twilio-api.ts';
import { startFakeXApi, type FakeXApi } from './fake-x-api.ts';
import { postSigned, smsBridgeEnv, smsParams, TEST_FROM, TEST_PUBLIC_BASE_URL } from './sms-webhooks.ts';
import { X_ACCOUNT, X_APP_KEY, X_KEYS } from './social-bridge.ts';
import { caFile } from './test-ca.ts';
import { DirectLineClient } from './webchat-bridge.ts';
import { dmActivity, mentionActivity, postToXHook } from './x-activity.ts';

/**
 * One citizen's complaint on one push channel, as its provider (or the browser) posts it to the bridge, and what the
 * citizen got back at the channel's fake. Every message comes from a citizen of its own, so each is its own ticket.
 */
export interface PushMessage {
  /** e.g. "sms #12" */
  label: string;
  /** what a ticket source of this message maps to with messageKey */
  key: string;
  /** posts it once to the bridge at `base`: the HTTP status, or 'error' for a refused or reset connection */
  send(base: string): Promise<number | 'error'>;
  /** every text the citizen was sent back */
  replies(): Promise<string[]>;
  /** whether its sender posts it again when it got no answer (providers do; a citizen in a web chat may not) */
  redelivered: boolean;
}

export const LOKSHAHI_TEST_SECRET = 'lokshahi-test-secret-0123456789';
export const CALLCENTRE_TEST_KEY = 'callcentre-test-key-0123456789';
export const X_WEBHOOK_TEST_SECRET = 'test-consumer-secret-0123456789';
export const X_HANDLE = 'PMCPune';

/** the fake Twilio, Graph and X APIs the push channels talk to */
export async function startPushFakes(): Promise<PushFakes> {
  return {
    twilio: await startFakeTwilioApi(),
    graph: await startFakeGraphApi({ pages: { [FB_PAGE]: FB_PAGE_TOKEN } }),
    x: await startFakeXApi({ accountId: X_KEYS.X_ACCOUNT_ID, username: X_HANDLE, appKey: X_APP_KEY }),
  };
}

/** a child bridge's environment with SMS, the Facebook page and the X account on, pointed at `fakes` */
export function pushChannelsEnv(dir: string, configDir: string, fakes: PushFakes): Record<string, string> {
  return {
    ...smsBridgeEnv(join(dir, 'bridge.db'), fakes.twilio.url),
    PMC_CONFIG_DIR: configDir,
    ATTACHMENTS_DIR: join(dir, 'attachments'),
    FACEBOOK_APP_SECRET: FB_APP_SECRET, FACEBOOK_VERIFY_TOKEN: FB_VERIFY_TOKEN, FACEBOOK_PAGE_ID: FB_PAGE, FACEBOOK_PAGE_TOKEN: FB_PAGE_TOKEN,
    FACEBOOK_GRAPH_BASE: fakes.graph.url,
    ...X_KEYS, X_API_BASE: fakes.x.url, X_WEBHOOK_SECRET: X_WEBHOOK_TEST_SECRET,
    // the X fake is HTTPS with the run's throwaway CA: the bridge trusts it as a deployment trusts a CA
    NODE_EXTRA_CA_CERTS: caFile,
  };
}

/** a source that names a public thread (one citizen's posts in it are one complaint), not a message */
export const isThreadSource = (s: SourceRef): boolean => s.externalId.startsWith('thread:');

/** a ticket source as a message's key (a web chat message is known by its conversation and our page's messageId) */
export const messageKey = (s: SourceRef): string => `${s.channel}|${s.accountId}|${s.externalId}`;

// complete complaints (what and where), and on channels that carry photos the photo declined up front, so the bot
// files each at once with one reply
const BODIES = [
  'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड. फोटो नाही',
  'हडपसर में हमारी गली में दो दिन से पानी नहीं आ रहा है, फोटो नहीं है',
  // (not "Streetlight not working near Karve Road bus stop, no photo": the bot reads that as a place, and asks what is wrong there)
  'Garbage not collected for three days in Baner, no photo',
  'वारजे येथे रस्त्यावर मोठा खड्डा आहे, अपघात होऊ शकतो. फोटो नाही',
];
const LANGS = ['mr', 'hi', 'en', 'mr'] as const;
const body = (i: number): string => `${BODIES[i % BODIES.length]} #${i}`;
const status = async (res: Promise<Response>): Promise<number | 'error'> => {
  try {
    const r = await res;
    await r.arrayBuffer();
    return r.status;
  } catch {
    return 'error';
  }
};
/** a made-up Indian mobile: `prefix` (2 digits) and 8 more from i */
const mobile = (prefix: string, i: number): string => `${prefix}${String(10_000_000 + i).slice(-8)}`;

export interface PushFakes { twilio: FakeTwilioApi; graph: FakeGraphApi; x: FakeXApi }

export function smsMessage(f: PushFakes, i: number): PushMessage {
  const p = smsParams(i);
  return {
    label: `sms #${i}`,
    redelivered: true,
    key: `sms|${TEST_FROM}|${p.MessageSid}`,
    send: (base) => status(postSigned(`${base}/webhooks/sms/twilio`, `${TEST_PUBLIC_BASE_URL}/webhooks/sms/twilio`, p)),
    replies: async () => f.twilio.sent.filter((m) => m.To === p.From).map((m) => m.Body ?? ''),
  };
}

export function facebookMessage(f: PushFakes, i: number): PushMessage {
  const psid = `71${String(i).padStart(14, '0')}`;
  const event = textEvent(psid, body(i));
  return {
    label: `facebook #${i}`,
    redelivered: true,
    key: `facebook|${FB_PAGE}|${(event.message as { mid: string }).mid}`,
    send: (base) => {
      f.graph.userWrote(FB_PAGE, psid); // the 24-hour window opens as the citizen writes
      return status(postToFacebookHook(`${base}/webhooks/facebook`, delivery(pageEntry([event]))));
    },
    replies: async () => f.graph.sentMessages().filter((m) => m.recipient.id === psid).map((m) => m.message.text ?? ''),
  };
}

const xCitizen = (i: number) => ({ id: `18${String(i).padStart(17, '0')}`, screen_name: `citizen_${i}`, name: `Citizen ${i}` });

/** the mention is on X (for the catch-up poll and our reply) from the moment its webhook is first posted */
export function xMentionMessage(f: PushFakes, i: number): PushMessage {
  const author = xCitizen(i);
  let tweetId: string | undefined;
  const ensure = () => (tweetId ??= f.x.addMention({ authorId: author.id, username: author.screen_name, name: author.name, text: `@${X_HANDLE} ${body(i)}` }).id);
  return {
    label: `x mention #${i}`,
    redelivered: true,
    get key() {
      return `twitter|${X_ACCOUNT}|${ensure()}`;
    },
    send: (base) => {
      const id = ensure();
      return status(postToXHook(`${base}/webhooks/twitter`, mentionActivity(X_ACCOUNT, X_HANDLE, { id, text: `@${X_HANDLE} ${body(i)}`, author }), X_WEBHOOK_TEST_SECRET));
    },
    replies: async () => (tweetId ? f.x.tweetsSent().filter((t) => t.inReplyTo === tweetId).map((t) => t.text) : []),
  };
}

export function xDmMessage(f: PushFakes, i: number): PushMessage {
  const sender = xCitizen(i);
  let dmId: string | undefined;
  const ensure = () => (dmId ??= f.x.addDm({ senderId: sender.id, username: sender.screen_name, text: body(i) }).id);
  return {
    label: `x dm #${i}`,
    redelivered: true,
    get key() {
      return `twitter|${X_ACCOUNT}|dm:${ensure()}`;
    },
    send: (base) => status(postToXHook(`${base}/webhooks/twitter`, dmActivity(X_ACCOUNT, { id: ensure(), senderId: sender.id, text: body(i) }), X_WEBHOOK_TEST_SECRET)),
    replies: async () => f.x.dmsSent().filter((d) => d.participantId === sender.id).map((d) => d.text),
  };
}

/** `open` starts its conversation (before the stream: a chat is open before the citizen types) */
export function webChatMessage(base: string, i: number): PushMessage & { open(): Promise<void> } {
  const chat = new DirectLineClient(base);
  const bot = () => chat.seen.filter((a) => a.type === 'message' && a.from.role === 'bot');
  let tries = 0;
  return {
    label: `webchat #${i}`,
    get key() {
      return `webchat|site|${chat.conversationId}/chaosmsg${i}`;
    },
    open: () => chat.start(),
    // as our page has Web Chat post: Retry sends the message again with a new clientActivityID and the same messageId
    send: () => status(chat.post(body(i), `chaos-${i}-${++tries}`, `chaosmsg${i}`)),
    redelivered: true,
    replies: async () => {
      await chat.poll();
      return bot().slice(chat.opening.length).map((a) => a.text ?? '');
    },
  };
}

const APPLICATIONS = [
  { subject: 'सदाशिव पेठेत सांडपाणी रस्त्यावर', description: 'गेल्या दोन महिन्यांपासून आमच्या गल्लीतील ड्रेनेज तुंबून सांडपाणी रस्त्यावर येत आहे.' },
  { subject: 'कर्वे रस्त्यावर खड्डे', description: 'कर्वे रस्त्यावर नळस्टॉप चौकाजवळ मोठे खड्डे पडले आहेत, क्षेत्रीय कार्यालयात तक्रार करूनही काम झाले नाही.' },
];

export function lokshahiMessage(f: PushFakes, i: number): PushMessage {
  const token = `LD/2026/${7000 + i}`;
  const phone = mobile('97', i);
  const a = APPLICATIONS[i % APPLICATIONS.length]!;
  const raw = JSON.stringify({
    token, applicationDate: '2026-11-12', hearingDate: '2026-12-07', office: 'कसबा-विश्रामबागवाडा क्षेत्रीय कार्यालय', ...a,
    applicant: { name: `अर्जदार ${i}`, address: 'सदाशिव पेठ, पुणे 411030', mobile: phone },
  });
  return {
    label: `lokshahi #${i}`,
    redelivered: true,
    key: `lokshahi|lokshahi-din|${tokenKey(token)}`,
    send: (base) => status(fetch(`${base}/webhooks/lokshahi`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lokshahi-signature': signBody(raw, LOKSHAHI_TEST_SECRET) }, body: raw })),
    replies: async () => f.twilio.sent.filter((m) => m.To === `+91${phone}`).map((m) => m.Body ?? ''),
  };
}

/** a call-centre agent files what a caller said (the intake API), in the caller's language */
export function callCentreMessage(f: PushFakes, i: number): PushMessage {
  const phone = mobile('96', i);
  const externalId = `call-chaos-${i}`;
  // (a phone call carries no photo: the agent types the complaint without "no photo")
  const raw = JSON.stringify({ externalId, agentId: 'agent-17', sender: { name: `Caller ${i}`, phone }, text: body(i).replace(/[,.] (फोटो|no photo).*#/u, ' #'), language: LANGS[i % LANGS.length] });
  return {
    label: `call centre #${i}`,
    redelivered: true,
    key: `phone|callcentre|${externalId}`,
    send: (base) => status(fetch(`${base}/webhooks/api/callcentre`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signBody(raw, CALLCENTRE_TEST_KEY) }, body: raw })),
    replies: async () => f.twilio.sent.filter((m) => m.To === `+91${phone}`).map((m) => m.Body ?? ''),
  };
}
