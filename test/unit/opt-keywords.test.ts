import { describe, expect, it } from 'vitest';
import { optKeyword } from '../../src/normalizer/opt-keywords.ts';

describe('announcement keywords (STOP / START)', () => {
  it.each([
    ['STOP', 'en'],
    ['stop', 'en'],
    ['Stop.', 'en'],
    ['  STOP!! ', 'en'],
    ['*stop*', 'en'],
    ['Unsubscribe', 'en'],
    ['STOP ALL', 'en'],
    ['रोको', 'hi'],
    ['बंद करो', 'hi'],
    ['बंद कीजिए।', 'hi'],
    ['रोका', 'mr'],
    ['थांबवा', 'mr'],
  ])('"%s" opts out, in %s', (text, language) => {
    expect(optKeyword(text)).toEqual({ choice: 'out', language });
  });

  it.each(['बंद', 'बंद।', 'बन्द', 'बन्‍द', 'बंद करा', '🙏 बंद', 'band', 'BAND', 'Band kara', 'bandh karo', 'sms band', 'संदेश बंद करा', 'मेसेज बंद'])(
    '"%s" opts out (Marathi or Hindi: the contact’s own language decides the confirmation)',
    (text) => {
      expect(optKeyword(text)).toEqual({ choice: 'out' });
    },
  );

  it.each([
    ['START', 'en'],
    ['start.', 'en'],
    ['UNSTOP', 'en'],
    ['संदेश सुरू', 'mr'],
    ['सुरु करा', 'mr'],
    ['चालू करा', 'mr'],
    ['शुरू करो', 'hi'],
    ['चालू करो', 'hi'],
  ])('"%s" opts back in, in %s', (text, language) => {
    expect(optKeyword(text)).toEqual({ choice: 'in', language });
  });

  it.each(['sms chalu', 'Chalu kara', 'msg suru', 'shuru karo'])('"%s" opts back in', (text) => {
    expect(optKeyword(text)).toEqual({ choice: 'in' });
  });

  // everyday answers to the bot ("is it working now?"): only the imperative, or the word with "SMS", opts in
  it.each(['चालू', 'सुरू', 'सुरु', 'शुरू', 'chalu', 'suru', 'चालू आहे', 'दिवा चालू झाला'])('"%s" is not a keyword', (text) => {
    expect(optKeyword(text)).toBeUndefined();
  });

  it.each([
    // complaints that contain the word: a light or the water that is off
    'दिवा बंद आहे',
    'पथदिवा बंद आहे, कोथरूड',
    'पाणी बंद',
    'बंद आहे',
    'स्ट्रीट लाइट बंद है',
    'पानी बंद हो गया है',
    'streetlight band ahe',
    'Please stop the construction noise at night',
    'bus stop shelter broken',
    'stop sign missing near Karve Road',
    'start the water supply please',
    // answers in a conversation with the bot, not a request about announcements
    'cancel',
    'yes',
    'हो',
    '',
    '   ',
    '🙏',
  ])('"%s" is not a keyword', (text) => {
    expect(optKeyword(text)).toBeUndefined();
  });

  it('a long message is never a keyword, whatever it ends with', () => {
    expect(optKeyword(`${'कचरा उचलला नाही '.repeat(10)}बंद`)).toBeUndefined();
  });
});
