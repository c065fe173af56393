import { join } from 'node:path';
import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/bots/reply-kind.ts';
import { BridgeAdapter, toActivity } from '../../src/bots/bridge-adapter.ts';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import { createNormalizer } from '../../src/normalizer/index.ts';
import { ROOT } from '../support/bridge-process.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

const { wards, categories } = loadGazetteer(join(ROOT, 'config'));
const normalize = createNormalizer({ wards, categories });

describe('BridgeAdapter', () => {
  it('turns a citizen message into the Activity a bot expects', () => {
    const m = citizenSms('कोथरूडमध्ये   कचरा उचलला नाही', {
      attachments: [{ kind: 'image', mime: 'image/jpeg', url: 'https://media.example.org/p1.jpg' }],
    });
    const activity = toActivity(m, normalize(m));
    expect(activity).toMatchObject({
      type: 'message',
      id: m.externalId,
      channelId: 'sms',
      from: { id: m.sender.id },
      recipient: { id: m.accountId },
      conversation: { id: m.threadKey },
      locale: 'mr-IN',
      text: 'कोथरूडमध्ये कचरा उचलला नाही',
      attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://media.example.org/p1.jpg' }],
      channelData: { raw: m.raw, entities: { ward: { wardId: 'kothrud-bavdhan' } } },
    });
  });

  it('gives romanised Marathi the Marathi locale and an undetermined text none', () => {
    const roman = citizenSms('maza rasta khup kharab ahe');
    expect(toActivity(roman, normalize(roman)).locale).toBe('mr-IN');
    const thanks = citizenSms('🙏');
    expect(toActivity(thanks, normalize(thanks)).locale).toBeUndefined();
  });

  it('runs the bot through its middleware and returns what it said, in order, with the choices it offered and its kind', async () => {
    const adapter = new BridgeAdapter();
    const seen: string[] = [];
    adapter.use(async (context, next) => {
      seen.push(`middleware:${context.activity.text}`);
      await next();
    });
    const m = citizenSms('पाणी येत नाही');
    const replies = await adapter.processMessage(m, normalize(m), async (context: TurnContext) => {
      seen.push(`bot:${context.activity.conversation.id}`);
      await context.sendActivity('आपली तक्रार नोंदवत आहोत.');
      await context.sendTraceActivity('dialog', { step: 1 }); // trace, typing: not for the citizen
      await context.sendActivity({ type: ActivityTypes.Typing });
      await context.sendActivity(MessageFactory.suggestedActions(['होय', 'नाही'], 'हा पत्ता बरोबर आहे का?'));
      await context.sendActivity(reply(MessageFactory.suggestedActions(['1', '5'], 'गुण द्या'), 'feedback_request'));
    });
    expect(seen).toEqual(['middleware:पाणी येत नाही', `bot:${m.threadKey}`]);
    expect(replies).toEqual([
      { text: 'आपली तक्रार नोंदवत आहोत.' },
      { text: 'हा पत्ता बरोबर आहे का?', choices: ['होय', 'नाही'] },
      { text: 'गुण द्या', choices: ['1', '5'], kind: 'feedback_request' }, // what the reply is, for the outbox
    ]);
  });

  it('continues a conversation the bridge starts itself, from the reference it kept', async () => {
    const adapter = new BridgeAdapter();
    const m = citizenSms('Garbage not collected near Baner');
    const reference = BridgeAdapter.referenceOf(m, normalize(m));
    const replies = await adapter.continueWith(reference, async (context) => {
      expect(context.activity.conversation.id).toBe(m.threadKey);
      expect(context.activity.from.id).toBe(m.sender.id);
      await context.sendActivity('Your complaint PMC10001 is resolved. Please rate us 1–5.');
    });
    expect(replies).toEqual([{ text: 'Your complaint PMC10001 is resolved. Please rate us 1–5.' }]);
  });

  it('says plainly that a sent message cannot be edited or deleted', async () => {
    const adapter = new BridgeAdapter();
    const m = citizenSms('test');
    await adapter.processMessage(m, normalize(m), async (context) => {
      await expect(context.updateActivity({ id: 'x', text: 'changed' })).rejects.toThrow(/cannot edit/);
      await expect(context.deleteActivity('x')).rejects.toThrow(/cannot delete/);
    });
  });
});
