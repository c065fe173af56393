import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMessages } from '../../src/bots/messages.ts';
import { segmentCount } from '../../src/render/sms-segments.ts';
import { renderReply, type RenderContext } from '../../src/render/render-reply.ts';
import { xWeightedLength } from '../../src/render/x-length.ts';
import { ROOT } from '../support/bridge-process.ts';

const messages = loadMessages(join(ROOT, 'config', 'messages'));
// what each channel's connector declares (ChannelLimits): Messenger 13 quick replies of ≤ 20 characters, X DMs 20 of
// ≤ 36, web chat 10 of ≤ 40; email a subject line
const DECLARED: Record<string, RenderContext['limits']> = {
  facebook: { maxChars: 2000, buttons: { most: 13, longest: 20 } },
  twitter: { maxChars: 280, countBy: 'x-weighted', buttons: { most: 20, longest: 36 } },
  webchat: { maxChars: 2000, buttons: { most: 10, longest: 40 } },
  email: { subject: true },
};
const ctx = (over: Partial<RenderContext>): RenderContext => {
  const channel = over.channel ?? 'sms';
  return { channel, language: 'mr', messages, ...over, limits: { ...DECLARED[channel], ...over.limits } };
};
const askRating = messages.mr.askRating.replace('{ticketNo}', 'PMC10042');
const RATINGS = ['1', '2', '3', '4', '5'];

describe('a reply rendered for its channel', () => {
  it('SMS: fits the segment budget, keeps the ticket number, and offers no buttons (the text says what to answer)', () => {
    const long = `${messages.mr.filed.replace('{ticketNo}', 'PMC10042').replace('{department}', 'घनकचरा व्यवस्थापन विभाग').replace('{dueDate}', '१ डिसेंबर')} ${messages.mr.oneShotAskWhere}`;
    const r = renderReply({ text: long, choices: ['नाही'] }, ctx({ limits: { maxSegments: 2 }, ticketNo: 'PMC10042' }));
    expect(segmentCount(r.text)).toBeLessThanOrEqual(2);
    expect(r.text).toContain('PMC10042');
    expect(r.choices).toBeUndefined();
    expect(r.subject).toBeUndefined();
  });

  it('Messenger: the choices become quick replies, at most 13 of at most 20 characters', () => {
    const r = renderReply({ text: askRating, choices: RATINGS }, ctx({ channel: 'facebook', limits: { maxChars: 2000 } }));
    expect(r.choices).toEqual(RATINGS);
    const many = Array.from({ length: 20 }, (_, i) => `पर्याय क्रमांक ${i + 1} — खूप लांब नाव असलेला`);
    const fitted = renderReply({ text: 'कोणता?', choices: many }, ctx({ channel: 'facebook' })).choices!;
    expect(fitted).toHaveLength(13);
    for (const c of fitted) expect([...c].length).toBeLessThanOrEqual(20);
  });

  it('a public comment or tweet gets no buttons', () => {
    expect(renderReply({ text: askRating, choices: RATINGS }, ctx({ channel: 'facebook', public: true })).choices).toBeUndefined();
    expect(renderReply({ text: askRating, choices: RATINGS }, ctx({ channel: 'twitter', public: true })).choices).toBeUndefined();
  });

  it("X: cut to 280 by X's weighted count, keeping the ticket number; Marathi gets the full 280", () => {
    const limits = { maxChars: 280, countBy: 'x-weighted' as const };
    const marathi = 'कोथरूड भागात कचरा उचलला नाही, '.repeat(9).trim(); // 278 code points
    expect(renderReply({ text: marathi }, ctx({ channel: 'twitter', limits })).text).toBe(marathi);
    const withNumber = `${'रस्त्यावर खड्डे आहेत. '.repeat(20)}तक्रार क्र. PMC10042`;
    const r = renderReply({ text: withNumber }, ctx({ channel: 'twitter', limits, ticketNo: 'PMC10042' }));
    expect(xWeightedLength(r.text)).toBeLessThanOrEqual(280);
    expect(r.text.startsWith('PMC10042')).toBe(true);
    const hindiEmoji = '🙏'.repeat(150);
    expect(xWeightedLength(renderReply({ text: hindiEmoji }, ctx({ channel: 'twitter', limits })).text)).toBeLessThanOrEqual(280);
  });

  it('email: the ticket number leads the subject, answering the citizen’s own subject', () => {
    const filed = messages.hi.filed;
    expect(renderReply({ text: filed }, ctx({ channel: 'email', language: 'hi', ticketNo: 'PMC10042', subject: 'Re: RE: पानी नहीं आ रहा' })).subject).toBe(
      '[PMC10042] Re: पानी नहीं आ रहा',
    );
    expect(renderReply({ text: filed }, ctx({ channel: 'email', language: 'mr', ticketNo: 'PMC10042' })).subject).toBe(
      `[PMC10042] ${messages.mr.emailSubject}`,
    );
    expect(renderReply({ text: 'Thank you!' }, ctx({ channel: 'email', language: 'en', subject: 'Garbage near Deccan' })).subject).toBe('Re: Garbage near Deccan');
  });

  it('web chat: the choices become suggested actions', () => {
    expect(renderReply({ text: messages.en.askPhoto, choices: [messages.en.no] }, ctx({ channel: 'webchat', language: 'en' })).choices).toEqual([messages.en.no]);
  });
});
