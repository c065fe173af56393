import { describe, expect, it } from 'vitest';
import { attachmentKind as kindOf } from '../../src/attachments/attachment-kind.ts';
import { SmsPayloadError, e164, parseInboundSms } from '../../src/connectors/sms/parse.ts';
import type { FormParams } from '../../src/http/form-body.ts';

const NOW = new Date('2025-06-01T10:15:00.000Z');
const now = () => NOW;

/** What Twilio posts for an inbound SMS to an Indian number (synthetic numbers). */
function payload(overrides: FormParams = {}): FormParams {
  return {
    ToCountry: 'IN',
    SmsMessageSid: 'SM' + '1'.repeat(32),
    NumMedia: '0',
    SmsSid: 'SM' + '1'.repeat(32),
    SmsStatus: 'received',
    Body: 'माझ्या भागात कचरा उचलला गेला नाही',
    To: '+912066000000',
    NumSegments: '1',
    MessageSid: 'SM' + '1'.repeat(32),
    AccountSid: 'AC' + '0'.repeat(32),
    From: '+919812345678',
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

describe('parseInboundSms', () => {
  it('maps a Marathi SMS to the envelope and keeps the raw params exactly', () => {
    const params = payload();
    const m = parseInboundSms(params, { now });
    expect(m).toMatchObject({
      channel: 'sms',
      accountId: '+912066000000',
      externalId: 'SM' + '1'.repeat(32),
      threadKey: '+919812345678',
      sender: { id: '+919812345678', phone: '+919812345678' },
      receivedAt: '2025-06-01T10:15:00.000Z',
      text: 'माझ्या भागात कचरा उचलला गेला नाही',
      attachments: [],
    });
    expect(m.raw).toBe(params);
  });

  it('keeps Hindi and English bodies as written', () => {
    expect(parseInboundSms(payload({ Body: 'हमारी गली में दो दिन से पानी नहीं आ रहा है' }), { now }).text).toBe(
      'हमारी गली में दो दिन से पानी नहीं आ रहा है',
    );
    expect(parseInboundSms(payload({ Body: 'Streetlight not working near Karve Road' }), { now }).text).toBe(
      'Streetlight not working near Karve Road',
    );
  });

  it('accepts a body of Devanagari digits only, and one of emoji only', () => {
    expect(parseInboundSms(payload({ Body: '१२३४५' }), { now }).text).toBe('१२३४५');
    expect(parseInboundSms(payload({ Body: '👍🏽🙏' }), { now }).text).toBe('👍🏽🙏');
  });

  it('reads media items with their kinds, and allows an empty body alongside them', () => {
    const m = parseInboundSms(
      payload({
        Body: '',
        NumMedia: '3',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/SM1/Media/ME0',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/SM1/Media/ME1',
        MediaContentType1: 'audio/ogg',
        MediaUrl2: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/SM1/Media/ME2',
        MediaContentType2: 'application/pdf',
      }),
      { now },
    );
    expect(m.text).toBe('');
    expect(m.attachments.map((a) => [a.kind, a.mime])).toEqual([
      ['image', 'image/jpeg'],
      ['audio', 'audio/ogg'],
      ['file', 'application/pdf'],
    ]);
    expect(m.attachments[0]?.url).toContain('/Media/ME0');
  });

  it('classifies media by mime type', () => {
    expect(kindOf('video/mp4')).toBe('video');
    expect(kindOf('IMAGE/PNG')).toBe('image');
    expect(kindOf('text/vcard')).toBe('file');
    expect(kindOf(undefined)).toBe('file');
  });

  it('strips the whatsapp: prefix for the phone but keeps the address as the thread', () => {
    const m = parseInboundSms(
      payload({ From: 'whatsapp:+919812345678', To: 'whatsapp:+14155238886', ProfileName: 'सुनीता' }),
      { now },
    );
    expect(m.threadKey).toBe('whatsapp:+919812345678');
    expect(m.sender).toEqual({ id: 'whatsapp:+919812345678', phone: '+919812345678', name: 'सुनीता' });
    expect(m.accountId).toBe('whatsapp:+14155238886');
  });

  it('reads a WhatsApp location pin', () => {
    const m = parseInboundSms(payload({ Body: '', Latitude: '18.5074', Longitude: '73.8077', Address: 'Kothrud, Pune' }), { now });
    expect(m.location).toEqual({ lat: 18.5074, lon: 73.8077, label: 'Kothrud, Pune' });
  });

  it('normalises a national number to E.164 (region IN) and leaves a short code without a phone', () => {
    expect(e164('09812345678')).toBe('+919812345678');
    expect(e164('+14158675309')).toBe('+14158675309');
    expect(e164('56161')).toBeUndefined();
    expect(parseInboundSms(payload({ From: 'VM-PMCPUN' }), { now }).sender).toEqual({ id: 'VM-PMCPUN' });
  });

  it('falls back to the deprecated SmsSid when MessageSid is absent', () => {
    const p = payload();
    delete p.MessageSid;
    delete p.SmsMessageSid;
    expect(parseInboundSms(p, { now }).externalId).toBe('SM' + '1'.repeat(32));
  });

  it.each(['MessageSid', 'From', 'To'])('refuses a payload without %s, naming the field', (field) => {
    const p = payload();
    delete p[field];
    if (field === 'MessageSid') {
      delete p.SmsSid;
      delete p.SmsMessageSid;
    }
    const err = (() => {
      try {
        parseInboundSms(p, { now });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SmsPayloadError);
    expect((err as SmsPayloadError).field).toBe(field);
    expect((err as SmsPayloadError).message).toBe(`${field} is missing`);
  });

  it('names every missing field at once, MessageSid first', () => {
    expect(() => parseInboundSms({ Body: 'नमस्कार' }, { now })).toThrow('MessageSid is missing; AccountSid is missing; From is missing; To is missing');
  });

  it('refuses a payload that is not a message (no Body and no media), e.g. a voice callback', () => {
    expect(() =>
      parseInboundSms({ CallSid: 'CA' + 'c'.repeat(32), MessageSid: 'SM' + '2'.repeat(32), AccountSid: 'AC' + '0'.repeat(32), From: '+14158675309', To: '+18005551212' }, { now }),
    ).toThrow(/Body is missing/);
  });

  it('refuses a field Twilio sends once when it comes twice; reads the first of another repeated key and keeps all in raw', () => {
    expect(() => parseInboundSms(payload({ Body: ['पहिला', 'दुसरा'] }), { now })).toThrow('Body is sent more than once');
    expect(() => parseInboundSms(payload({ From: ['+919812345678', '+919800000000'] }), { now })).toThrow(SmsPayloadError);
    const p = payload({ FromCity: ['PUNE', 'MUMBAI'] });
    const m = parseInboundSms(p, { now });
    expect(m.text).toBe('माझ्या भागात कचरा उचलला गेला नाही');
    expect((m.raw as FormParams).FromCity).toEqual(['PUNE', 'MUMBAI']);
  });

  // A captured request can be re-sent with a key boundary moved and keep its signature (Twilio signs key+value
  // with no separator): what refuses it is that no field Twilio defines may take any other shape.
  it.each([
    ['MessageSid', 'SM' + '1'.repeat(32) + 'NumMedia0'],
    ['MessageSid', 'SM' + '1'.repeat(31)],
    ['MessageSid', 'XX' + '1'.repeat(32)],
    ['SmsSid', 'SM' + '1'.repeat(32) + 'SmsStatusreceived'],
    ['AccountSid', 'AC' + '0'.repeat(32) + 'ApiVersion2010-04-01'],
    ['To', '+912066000000ToCountryIN'],
    ['From', '+919812345678MessageSidSM' + '1'.repeat(32)],
    ['From', 'नमस्कार'],
    ['NumMedia', '0NumSegments1'],
    ['NumSegments', '1SmsMessageSidSM' + '1'.repeat(32)],
    ['ApiVersion', '2010-04-01Bodyहॅलो'],
    ['MessagingServiceSid', 'MG123'],
    ['Body', 'क'.repeat(4097)],
    ['Latitude', '18.5NaN'],
  ])('refuses %s = %j: it cannot be what Twilio sent', (field, value) => {
    expect(() => parseInboundSms(payload({ [field]: value }), { now })).toThrow(SmsPayloadError);
  });

  it('refuses MessageSid and its deprecated twins when they differ, and media keys beyond NumMedia', () => {
    expect(() => parseInboundSms(payload({ SmsSid: 'SM' + '2'.repeat(32) }), { now })).toThrow(/differ/);
    expect(() => parseInboundSms(payload({ NumMedia: '1', MediaUrl0: 'https://api.twilio.com/m/0', MediaUrl1: 'https://api.twilio.com/m/1' }), { now })).toThrow(/MediaUrl1 is beyond NumMedia/);
    expect(() => parseInboundSms(payload({ NumMedia: '1', MediaUrl0: 'http://169.254.169.254/latest' }), { now })).toThrow(/not an https URL/);
    expect(() => parseInboundSms(payload({ NumMedia: '11' }), { now })).toThrow(/more than Twilio's 10/);
  });

  it('reads keys named like JavaScript built-ins as plain fields', () => {
    const p = Object.assign(Object.create(null) as FormParams, payload(), { toString: 'x', constructor: 'y', hasOwnProperty: 'w' });
    const m = parseInboundSms(p, { now });
    expect(m.text).toBe('माझ्या भागात कचरा उचलला गेला नाही');
    expect(Object.keys(m.raw as object)).toEqual(expect.arrayContaining(['toString', 'constructor', 'hasOwnProperty']));
  });

  it('ignores media items without a URL', () => {
    const m = parseInboundSms(payload({ NumMedia: '2', MediaContentType0: 'image/png', MediaUrl1: 'https://x/1', MediaContentType1: 'image/png' }), {
      now,
    });
    expect(m.attachments).toHaveLength(1);
    expect(() => parseInboundSms(payload({ NumMedia: 'many' }), { now })).toThrow(SmsPayloadError);
  });
});
