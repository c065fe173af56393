import { describe, expect, it } from 'vitest';
import { createConversations } from '../../src/bots/conversations.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';
import { SHIPPED, shippedBotOptions } from '../support/bot-parts.ts';

// readPublicPost never touches the store
const conversations = createConversations(shippedBotOptions({} as Store));
const post = (text: string): InboundMessage => ({
  channel: 'twitter', accountId: '17', externalId: text, threadKey: text, sender: { id: '9' }, receivedAt: new Date().toISOString(), text, attachments: [], public: true, raw: null,
});
const read = (text: string) => conversations.readPublicPost(SHIPPED.normalize(post(text)));

// A tweet or page comment is answered once, in public: only a complaint becomes a ticket.
describe('what a public post asks of us', () => {
  it.each([
    'कोथरूड मध्ये तीन दिवस पाणी आले नाही',
    'हमारी गली में कई दिन से कचरा पड़ा है, कोई सुनता नहीं',
    'Huge potholes on Sinhagad road, someone will get hurt',
    'Baner madhe streetlight band aahe',
    'दत्तवाडी पुलाजवळ, कृपया लवकर पहा',
  ])('files a complaint: %s', (text) => expect(read(text)).toBe('file'));

  it.each(['नमस्कार', 'hello sir', 'तक्रार कशी करायची?', 'शिकायत कैसे दर्ज करूं?', 'I want to register a complaint'])('invites a greeting or question to write privately: %s', (text) =>
    expect(read(text)).toBe('invite'),
  );

  it.each(['धन्यवाद, छान काम!', 'बहुत बहुत शुक्रिया', 'thanks for the quick work', 'who won the match yesterday', 'you people are useless idiots'])('says nothing in public to thanks and chatter: %s', (text) =>
    expect(read(text)).toBe('ignore'),
  );

  // thanks for a problem set right names the problem: it must not become a ticket
  it.each([
    'Thank you, the garbage was collected today',
    'धन्यवाद, पाणी आले',
    'thanks PMC, streetlight is working now',
    'बहुत धन्यवाद, गड्ढा भर दिया गया',
    'धन्यवाद, आमच्या गल्लीतला कचरा उचलला गेला',
  ])('says nothing in public to thanks for a fix: %s', (text) => expect(read(text)).toBe('ignore'));

  it.each(['धन्यवाद पण अजून पाणी आले नाही', 'thanks but the garbage is still lying there', 'धन्यवाद, रस्ता दुरुस्त करा', 'शुक्रिया, पानी आया लेकिन गंदा है'])(
    'files thanks that still complain: %s',
    (text) => expect(read(text)).toBe('file'),
  );
});
