import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../src/config/gazetteer.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import { createNormalizer, normalize as plainNormalize } from '../../src/normalizer/index.ts';
import { ROOT } from '../support/bridge-process.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

const { wards, categories } = loadGazetteer(join(ROOT, 'config'));
const normalize = createNormalizer({ wards, categories, ticketPrefix: 'PMC' });

function email(text: string, over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'email',
    accountId: 'complaints@pmc.example.org',
    externalId: '<m1@mail.example.org>',
    threadKey: '<m1@mail.example.org>',
    sender: { id: 'citizen@example.org', email: 'citizen@example.org' },
    receivedAt: '2026-11-27T10:00:00.000Z',
    text,
    attachments: [],
    raw: {},
    ...over,
  };
}

describe('normalize', () => {
  it('gathers everything a Marathi complaint says: ward, category, place, phone, PIN, digits', () => {
    const n = normalize(citizenSms('कोथरूड डेपोजवळ   तीन दिवसांपासून कचरा उचलला नाही. संपर्क ९८२२० १२३४५, पिन ४११०३८ #स्वच्छ_पुणे'));
    expect(n.language).toMatchObject({ lang: 'mr', script: 'Deva' });
    expect(n.text).not.toContain('   ');
    expect(n.numeric).toContain('98220 12345');
    expect(n.entities).toMatchObject({
      phones: ['+919822012345'],
      pinCodes: [{ pin: '411038', area: 'pune' }],
      ward: { wardId: 'kothrud-bavdhan' },
      hashtags: ['स्वच्छ_पुणे'],
    });
    expect(n.entities.categories[0]?.categoryId).toBe('garbage');
    expect(n.entities.rating).toBeUndefined();
    expect(n.empty).toBe(false);
  });

  it('reads a Hindi status query and a romanised rating', () => {
    expect(normalize(citizenSms('मेरी शिकायत संख्या PMC 10023 का क्या हुआ?')).entities.ticketNumbers).toEqual(['PMC10023']);
    const rating = normalize(citizenSms('paanch'));
    expect(rating.entities.rating).toBe(5);
  });

  it('takes a shared pin as the location before coordinates in the text', () => {
    const pinned = normalize(citizenSms('here', { location: { lat: 18.52, lon: 73.85 } }));
    expect(pinned.entities.location).toEqual({ lat: 18.52, lon: 73.85, source: 'pin' });
    const written = normalize(citizenSms('Pothole at 18.5204, 73.8567 please fix'));
    expect(written.entities.location).toMatchObject({ lat: 18.5204, lon: 73.8567, source: 'text' });
  });

  it('for email: keeps only the new text, reads the phone in the signature, and uses the subject for what and where', () => {
    const n = normalize(
      email(
        'Please send someone today.\n\nRegards,\nA. Citizen\n98220 12345\n\nOn Mon, 23 Nov 2026 at 10:12, PMC <complaints@pmc.example.org> wrote:\n> Your complaint PMC10001 is received',
        { subject: 'Garbage not collected in Baner' },
      ),
    );
    expect(n.text).toBe('Please send someone today.');
    expect(n.automated).toBeUndefined();
    expect(n.entities.phones).toEqual(['+919822012345']);
    expect(n.entities.ward?.wardId).toBe('aundh-baner');
    expect(n.entities.categories[0]?.categoryId).toBe('garbage');
  });

  it('marks an auto-reply as automated and HTML-only mail is read as text', () => {
    const auto = normalize(email('I am out of office', { headers: { 'auto-submitted': 'auto-replied' } }));
    expect(auto.automated).toMatchObject({ automated: true, kind: 'auto-reply' });
    const html = normalize(email('', { html: '<p>रस्त्यावर&nbsp;खड्डा आहे</p>' }));
    expect(html.text).toBe('रस्त्यावर खड्डा आहे');
    expect(html.language.lang).toBe('mr');
  });

  it('without a gazetteer it still detects language and entities, with no ward or category', () => {
    const n = plainNormalize(citizenSms('Kothrud madhe kachra ahe, call 9822012345'));
    expect(n.language.lang).toBe('mr');
    expect(n.entities.phones).toEqual(['+919822012345']);
    expect(n.entities.ward).toBeUndefined();
    expect(n.entities.categories).toEqual([]);
  });

  it('says a message with no words, media or location is empty', () => {
    expect(normalize(citizenSms(' \u200B ')).empty).toBe(true);
    expect(normalize(citizenSms('', { attachments: [{ kind: 'image', mime: 'image/jpeg' }] })).empty).toBe(false);
  });
});
