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
  webchat: { maxChars: 2000, buttons: { most: 10, longest: 40 }, markdown: true },
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
    // another number in brackets (quoted from elsewhere, or made up) gives way to the true one; our own stays
    expect(renderReply({ text: filed }, ctx({ channel: 'email', language: 'en', ticketNo: 'PMC10043', subject: 'Re: [PMC99999] pothole' })).subject).toBe('[PMC10043] Re: pothole');
    expect(renderReply({ text: filed }, ctx({ channel: 'email', language: 'en', ticketNo: 'PMC10043', subject: 'Re: [PMC10043] pothole' })).subject).toBe('Re: [PMC10043] pothole');
  });

  it('web chat: the choices become suggested actions', () => {
    expect(renderReply({ text: messages.en.askPhoto, choices: [messages.en.no] }, ctx({ channel: 'webchat', language: 'en' })).choices).toEqual([messages.en.no]);
  });
});

describe('a reply for a channel that shows markdown (web chat)', () => {
  const web = (text: string) => renderReply({ text }, ctx({ channel: 'webchat' })).text;
  // what Web Chat shows: escapes undone, a link by its words
  const seen = (md: string) => md.replace(/\[([^\]]*)\]\(tel:[+\d]+\)/g, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1');

  it.each([messages.mr.info, messages.hi.info, messages.en.info])('makes the helpline a tel: link and shows the rest as written: %s', (info) => {
    const md = web(info);
    expect(md).toContain('[1800 1030 222](tel:18001030222)');
    expect(seen(md)).toBe(info);
  });

  it('quotes the citizen as written: their markup, HTML and list numbers are text, not formatting', () => {
    for (const quoted of ['**ठळक** _तिरपे_ `code`', '<img src=x onerror=alert(1)> [pmc.gov.in](https://evil.example/)', '1. पहिला मुद्दा\n2) दुसरा', '# शीर्षक\n> उद्धरण\n- यादी']) {
      const md = web(messages.mr.askWhatAt.replace('{place}', quoted));
      expect(md).not.toMatch(/(?<!\\)[*_`<>[\]#]/u);
      expect(md).not.toMatch(/^\s*\d+[.)]/mu);
      expect(seen(md)).toBe(messages.mr.askWhatAt.replace('{place}', quoted));
    }
  });

  it('leaves ticket numbers, dates and short numbers alone, and links other phone numbers', () => {
    expect(web('तक्रार क्रमांक: PMC10042. 4 डिसेंबर 2026')).toBe('तक्रार क्रमांक: PMC10042. 4 डिसेंबर 2026');
    expect(web('Call 020-2550-1000 or +91 98765 43210')).toBe('Call [020\\-2550\\-1000](tel:02025501000) or [\\+91 98765 43210](tel:+919876543210)');
  });

  it('is plain text everywhere else', () => {
    expect(renderReply({ text: messages.en.info }, ctx({ channel: 'sms' })).text).toBe(messages.en.info);
  });
});
