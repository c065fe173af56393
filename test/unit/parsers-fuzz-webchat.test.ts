import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWebChatBotEndpoint } from '../../src/bots/web-chat-adapter.ts';
import { activityId } from '../../src/connectors/webchat/conversation-log.ts';
import { FileLinks } from '../../src/connectors/webchat/file-links.ts';
import { BotActivity, LOCATION_LABEL, MAX_TEXT, PostedActivity, completeActivity, toInboundMessage } from '../../src/connectors/webchat/parse.ts';
import { decodeBody, parseJson } from '../../src/http/form-body.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { normalize } from '../../src/normalizer/index.ts';
import { cleanText } from '../../src/normalizer/text.ts';
import { anyText, citizenText, digits, expectMessage, faulty, longRun, sometimes, whole } from '../support/fuzz-inputs.ts';

// Fuzz runs of the web chat parsers on what a browser can post: Direct Line's activity (POST
// /v3/directline/conversations/:id/activities), completed and handed to the bot endpoint, and an activity posted to
// /api/messages itself. The turn goes through the real botbuilder CloudAdapter, as in the bridge.

const CONVERSATION = 'c0ffee0123456789abcdef';
const USER = 'dl_4f2a9c';
const links = new FileLinks('fuzz-secret-0123456789', 3600);
const endpoint = createWebChatBotEndpoint();
/** the body as the JSON route hands it on */
const asDelivered = (body: unknown): unknown => parseJson(decodeBody(Buffer.from(JSON.stringify(body))));

/** what the bot endpoint archives of an activity it took (src/connectors/webchat/bot-endpoint.ts) */
async function throughBot(activity: BotActivity): Promise<InboundMessage | undefined> {
  let message: InboundMessage | undefined;
  await endpoint.process(activity, async (turn) => {
    message = toInboundMessage(turn, activity, 'pmc-webchat', new Date(), (ref, sig) => links.isOurs(activity.conversation.id, ref, sig));
  });
  return message;
}

const text = fc.oneof({ weight: 4, arbitrary: citizenText() }, { weight: 2, arbitrary: anyText() }, { weight: 1, arbitrary: longRun(MAX_TEXT) }, { weight: 1, arbitrary: fc.constant(LOCATION_LABEL) });
const ref = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }).map((h) => `sha256:${h}`);
// a photo the bridge took in (signed for this conversation), or one a client made up or took from another
const upload = fc.tuple(ref, fc.constantFrom('ours', 'forged', 'other conversation'), fc.nat(5_000_000)).map(([r, whose, size]) => ({
  contentType: 'image/jpeg',
  name: 'फोटो.jpg',
  content: { ref: r, size, sig: whose === 'ours' ? links.sign(CONVERSATION, r) : whose === 'forged' ? 'f'.repeat(64) : links.sign('another', r) },
}));
const attachment = fc.oneof(upload, whole({ contentType: fc.constantFrom('image/png', 'application/pdf', ''), contentUrl: sometimes(fc.constantFrom('blob:https://x/1', 'data:image/png;base64,AAAA')), name: sometimes(citizenText(2)) }));
const posted = faulty(
  whole({
    type: fc.oneof({ weight: 4, arbitrary: fc.constant('message') }, fc.constantFrom('typing', 'event', 'invoke')),
    text: sometimes(text),
    locale: sometimes(fc.constantFrom('mr-IN', 'hi-IN', 'en-IN', 'x'.repeat(40))),
    from: sometimes(whole({ id: sometimes(fc.string({ maxLength: 70 })), name: sometimes(citizenText(3)) })),
    attachments: sometimes(fc.array(attachment, { maxLength: 6 })),
    channelData: sometimes(
      whole({
        clientActivityID: sometimes(digits(1, 20)),
        location: sometimes(whole({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }), accuracy: sometimes(fc.double({ min: 0, max: 100_000, noNaN: true })) })),
      }),
    ),
    name: sometimes(fc.constantFrom('webchat/join', 'x'.repeat(120))),
  }),
);

describe('web chat: what a browser posts to Direct Line, and what reaches the bot endpoint', () => {
  it('a posted activity Direct Line takes is, completed, one the bot endpoint takes; a message becomes one of the model', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof({ weight: 1, arbitrary: fc.jsonValue() }, { weight: 6, arbitrary: posted }), async (body) => {
        const parsed = PostedActivity.safeParse(asDelivered(body));
        if (!parsed.success) return;
        // a photo comes only through the upload (direct-line.ts leaves a posted one out)
        const { attachments: _left, ...activity } = parsed.data;
        const completed = completeActivity(activity, { id: activityId(CONVERSATION, 7), conversationId: CONVERSATION, userId: USER, now: new Date() });
        const checked = BotActivity.safeParse(asDelivered(completed));
        expect(checked.success, checked.error?.message).toBe(true);
        const m = await throughBot(checked.data!);
        if (activity.type !== 'message') return void expect(m).toBeUndefined();
        expectMessage(m!, { text: MAX_TEXT });
        expect(m).toMatchObject({ threadKey: CONVERSATION, sender: { id: USER }, attachments: [] });
        // the archive's key is the conversation's own: no other conversation can post under it
        expect(m!.externalId.startsWith(CONVERSATION)).toBe(true);
        taken++;
      }),
      { numRuns: 200 },
    );
    expect(taken).toBeGreaterThan(0);
  });

  it('an activity posted to /api/messages keeps exactly the photos this bridge signed for that conversation', async () => {
    const activity = fc.tuple(posted, fc.array(upload, { maxLength: 5 }), fc.nat(9_999_999)).map(([p, uploads, seq]) => {
      const base = p !== null && typeof p === 'object' && !Array.isArray(p) ? p : {};
      return { ...base, attachments: uploads, id: activityId(CONVERSATION, seq), timestamp: new Date().toISOString(), channelId: 'webchat', conversation: { id: CONVERSATION }, from: { id: USER, role: 'user' }, recipient: { id: 'pmc', role: 'bot' } };
    });
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(activity, async (body) => {
        const parsed = BotActivity.safeParse(asDelivered(body));
        if (!parsed.success || parsed.data.type !== 'message') return;
        const m = await throughBot(parsed.data);
        expectMessage(m!, { text: MAX_TEXT });
        const ours = body.attachments.filter((a) => a.content.sig === links.sign(CONVERSATION, a.content.ref));
        expect(m!.attachments.map((a) => a.storedRef)).toEqual(ours.map((a) => a.content.ref));
        kept += m!.attachments.length;
      }),
      { numRuns: 150 },
    );
    expect(kept).toBeGreaterThan(0);
  });

  it('keeps the words a citizen typed, whatever they are', async () => {
    const typed = citizenText(60).filter((t) => [...t].length <= MAX_TEXT && t.trim() !== LOCATION_LABEL);
    await fc.assert(
      fc.asyncProperty(typed, async (t) => {
        const parsed = PostedActivity.parse(asDelivered({ type: 'message', text: t, from: { id: 'anyone' }, channelData: { clientActivityID: '1' } }));
        const completed = completeActivity(parsed, { id: activityId(CONVERSATION, 1), conversationId: CONVERSATION, userId: USER, now: new Date() });
        const m = await throughBot(BotActivity.parse(asDelivered(completed)));
        expect(m!.text).toBe(t);
        expect(normalize(m!).text).toBe(cleanText(t));
      }),
      { numRuns: 80 },
    );
  });
});
