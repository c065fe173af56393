import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createFaq } from '../../src/bots/faq.ts';
import { loadMessages } from '../../src/bots/messages.ts';
import { languageRequest, yesOrNo } from '../../src/bots/recognize.ts';
import { exampleMessage } from '../../src/bots/understand/understand.ts';
import { SHIPPED, shippedUnderstander } from '../support/bot-parts.ts';
import { ROOT } from '../support/bridge-process.ts';

describe('languageRequest', () => {
  it.each([
    ['English please', 'en'],
    ['english', 'en'],
    ['Please reply in English', 'en'],
    ['इंग्रजीत बोला', 'en'],
    ['मराठीत', 'mr'],
    ['मराठी मध्ये बोला', 'mr'],
    ['marathi madhe', 'mr'],
    ['English nako, marathi madhe bola', 'mr'],
    ['not English, Marathi please', 'mr'],
    ['हिंदी नहीं, English please', 'en'],
    ['हिंदी में', 'hi'],
    ['हिंदी में बात करें', 'hi'],
    ['hindi mein bolo', 'hi'],
  ])('%s → %s', (text, lang) => {
    expect(languageRequest(text)).toBe(lang);
  });

  it.each([
    'Marathi school madhe kachra ahe', // a complaint that names a language
    'English medium school road la khadde',
    'मराठी आणि हिंदी', // two languages: not a clear request
    'English nako',
    'कचरा उचलला नाही',
    '',
  ])('is not a request: %s', (text) => {
    expect(languageRequest(text)).toBeUndefined();
  });
});

describe('yesOrNo', () => {
  it.each(['हो', 'होय', 'हो, बरोबर आहे', 'हाँ', 'जी हां', 'haan', 'Yes', 'ok', 'ठीक है'])('yes: %s', (text) => {
    expect(yesOrNo(text)).toBe('yes');
  });
  it.each(['नाही', 'नको', 'नहीं', 'nahi', 'No', 'चूक आहे', 'गलत है'])('no: %s', (text) => {
    expect(yesOrNo(text)).toBe('no');
  });
  it.each(['हो नाही', 'पाणी नाही', 'Kothrud', '', 'नाही, माझी तक्रार पाण्याबद्दल आहे'])('neither: %s', (text) => {
    expect(yesOrNo(text)).toBeUndefined();
  });
});

describe('the intent layer (config/intents), for the phrases the old word lists knew', () => {
  const read = (text: string) => shippedUnderstander().read(SHIPPED.normalize(exampleMessage(text)), 'none').intent;
  it.each([
    ['status 12345', 'status'],
    ['माझी तक्रार कुठे आहे', 'status'],
    ['तक्रार क्र. १२३४५ ची स्थिती', 'status'],
    ['मेरी शिकायत का क्या हुआ?', 'status'],
    ['majhi takrar kuthe aahe', 'status'],
    ['What happened to my complaint?', 'status'],
    ['PMC10023', 'status'],
    ['helpline number?', 'question'],
    ['कार्यालयाची वेळ काय आहे?', 'question'],
    ['नमस्कार', 'greeting'],
    ['Hello', 'greeting'],
    ['धन्यवाद', 'thanks'],
    ['Thank you sir', 'thanks'],
    ['कोथरूडमध्ये कचरा उचलला नाही', 'complaint'],
    ['I want to register a complaint, where do I go', 'wish_to_complain'],
    ['पानी नहीं आ रहा', 'complaint'],
    ['Namaskar, amchya galli madhe 3 divas kachra padla aahe', 'complaint'],
  ])('%s → %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });
});

describe('FAQ questions (config/messages faq:)', () => {
  const faq = createFaq(loadMessages(join(ROOT, 'config', 'messages')));
  it.each([
    ['SMS ने तक्रार कशी करायची?', 'sms'],
    ['फेसबुकवर तक्रार करता येते का?', 'social'],
    ['email kaise bheje?', 'email'],
    ['ईमेल से शिकायत कैसे करें', 'email'],
    ['How long will it take?', 'time'],
    ['तक्रार सुटायला किती दिवस लागतील?', 'time'],
    ['kitne din lagenge?', 'time'],
    ['लोकशाही दिन कधी असतो?', 'lokshahi'],
    ['Can I send a photo?', 'photo'],
    ['website var chat kasa karaycha?', 'webchat'],
  ])('%s → %s', (text, id) => {
    expect(faq.match(text)).toBe(id);
  });

  it.each([
    'SMS केला पण कचरा अजून उचलला नाही, कोथरूड', // a complaint that names a channel, not a question
    'फोटो पाठवला आहे, खड्डा कर्वे रोडवर',
    'पाणी कधी येणार? तीन दिवस पाणी नाही, वारजे माळवाडी येथील सर्व सोसायट्यांमध्ये हाल होत आहेत आणि कोणी लक्ष देत नाही',
    'नमस्कार',
    'Garbage is dumped on the footpath near Deccan bus stand, photo attached',
    'Water pipeline burst near Hadapsar, photo sent, please do something',
  ])('%s → not an FAQ question', (text) => {
    expect(faq.match(text)).toBeUndefined();
  });
});
