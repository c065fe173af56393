import { describe, expect, it } from 'vitest';
import { createConversations } from '../../src/bots/conversations.ts';
import type { InboundMessage } from '../../src/model/index.ts';
import type { Store } from '../../src/store/store.ts';
import { SHIPPED, shippedBotOptions, shippedUnderstander } from '../support/bot-parts.ts';

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
    'thanks PMC, the streetlight was repaired',
    'शुक्रिया, नाली साफ हो गई',
    'धन्यवाद, आमच्या गल्लीतला कचरा उचलला गेला',
    'thank you, the pothole near my house was fixed today',
    'कचरा उचलला गेला, धन्यवाद साहेब',
  ])('says nothing in public to thanks for a fix: %s', (text) => expect(read(text)).toBe('ignore'));

  // a complaint that says thanks is a complaint: one read as thanks would be lost
  it.each([
    'धन्यवाद पण अजून पाणी आले नाही',
    'thanks but the garbage is still lying there',
    'धन्यवाद, रस्ता दुरुस्त करा',
    'शुक्रिया, पानी आया लेकिन गंदा है',
    'नळाला गढूळ पाणी आले, धन्यवाद',
    'रस्त्यावर पाणी भरले आहे, धन्यवाद',
    'पाण्याची गळती सुरू आहे, धन्यवाद',
    'गटार साफ करण्यात यावे ही विनंती. धन्यवाद',
    'गली में पानी भरा हुआ है धन्यवाद',
    'स्ट्रीट लाइट ठीक करवा दो धन्यवाद',
    'Pothole near Kothrud depot needs to be filled. Thanks',
    'Garbage to be cleared asap thanks',
    'garbage dumped in the back lane of Kothrud, thanks',
    'Thanks, garbage was cleared. Now the drainage is overflowing near my house',
    'धन्यवाद, कचरा उठाया गया। अब नाली जाम है',
    'रद्द करा हे कंत्राट, रस्त्यावर खड्डे',
    'Thanks, the drainage was cleaned, the smell is unbearable',
    'Thank you, water supply restored today, very dirty water',
    'धन्यवाद, कचरा उचलला गेला आणि शाळेजवळ टाकला',
    'धन्यवाद, कचरा उठाया गया, बदबू आ रही है',
    'thanks, kachra uchalla gela, vaas yeto',
    'thanks the pothole was fixed only half, rest is open',
    'Thanks for nothing, the garbage was collected once this month',
  ])('files a complaint that also thanks (or cancels): %s', (text) => expect(read(text)).toBe('file'));

  it('reads such a complaint as a complaint in a private conversation too', () => {
    const n = SHIPPED.normalize(post('गली में पानी भरा हुआ है धन्यवाद'));
    expect(shippedUnderstander().read(n, 'what').intent).toBe('complaint');
  });
});
