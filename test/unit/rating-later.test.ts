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
    'Rating नंतर देते, पहले ये सुनो — कोंढवा में नाली जाम है',
    'rating baad me, 2 din se paani nahi aa raha',
    'rating bad me dunga',
    'रेटिंग नंतर देतो, 3 दिवस बाहेरगावी आहे',
    'रेटिंग बाद में दूंगा, 2 दिन बाहर हूँ',
    "I'll rate it later, don't have time now",
    // put off, though it also says the work went badly: understand.ts decides (a complaint, or the rating)
    'काम अजून झालं नाही, रेटिंग नंतर देतो',
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
    // a refusal, or "after" told of the past: how it went, not a rating put off
    'शिकायत करने के बाद कोई नहीं आया, बहुत खराब सर्विस, स्टार भी नहीं दूंगा',
    'काम झाल्या नंतर कोणी आलं नाही, स्टार देणार नाही',
    "won't give any rating, useless",
    // "baad" (later) and English "bad" fold alike: this one is English
    'bad rating, streetlight still off on Baner road',
    'later it broke',
    'नंतर बंद पडलं',
  ])('rates, or says how it went: %s', (text) => {
    expect(putsOffRating(text)).toBe(false);
  });
});
