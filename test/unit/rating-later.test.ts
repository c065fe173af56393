import { describe, expect, it } from 'vitest';
import { putsOffRating } from '../../src/bots/understand/rating-later.ts';

// The answer to "rate us 1–5" that puts the rating off, in the ways citizens write it; and answers that only
// mention "later" or a number of days while rating, which stay ratings.
describe('putsOffRating', () => {
  it.each([
    'रेटिंग नंतर देतो',
    'गुण उद्या देईन',
    'नंतर सांगते',
    'आत्ता नाही, नंतर',
    'rating nantar deto',
    'aata nahi, nantar sangto',
    'बाद में बताऊंगा',
    'रेटिंग कल दूंगी',
    'अभी नहीं',
    'abhi nahi, baad me rating denge',
    'later',
    'I will rate it later',
    'not now, I will give feedback tomorrow',
    'Rating नंतर देते, पहले ये सुनो — नाली फिर से जाम है',
    'rating baad me, 2 din se paani nahi aa raha',
  ])('puts it off: %s', (text) => {
    expect(putsOffRating(text)).toBe(true);
  });

  it.each([
    '3, बाकी नंतर सांगतो',
    'चार, बाकी नंतर',
    '4 stars, more later',
    'काम नंतर झाले पण चांगले झाले',
    'नंतर काहीच झाले नाही',
    'बाद में काम हो गया, अच्छा लगा',
    'work was done later but well',
    'छान काम',
    'अजूनही कचरा तसाच आहे',
    'kal kaam zala, mast',
    'अभी नहीं हुआ',
    'abhi nahi hua kaam',
  ])('rates, or says how it went: %s', (text) => {
    expect(putsOffRating(text)).toBe(false);
  });
});
