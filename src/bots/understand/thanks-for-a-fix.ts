import type { NormalizedMessage } from '../../normalizer/index.ts';
import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';
import { problemPersists } from './rating-answer.ts';

// words of thanks, in the three languages and in Latin letters
const THANKS = fold('धन्यवाद आभार आभारी थँक्यू थॅंक्यू शुक्रिया thanks thank thanku thankyou thx dhanyavad dhanyawad abhar aabhar shukriya');
// work done to the problem: only words that never describe the problem itself ("भरले" is flooded too, "सुरू" is
// going on, "आले" is muddy water coming, "back" a back lane)
const FIXED = fold(`
  उचलला उचलले उचलली दुरुस्त बुजवला बुजवले बुजवली साफ स्वच्छ उठाया ठीक बदलला बदलले
  collected cleared cleaned repaired fixed restored resolved removed replaced
  uchalla uchalle uchalli durust
`);
// and said as done: a past or perfect form next to it ("उचलला गेला", "साफ हो गई", "has been repaired", "was cleared")
const DONE = fold(`
  गेला गेले गेली झाला झाले झाली केला केले केली केलात केलंत दिला दिले
  गया गई गए गयी लिया दिया हुआ हुई हो
  was were been has have got today now
  gela gele geli zala zhala zale kela kele geli gaya gayi hua
`);
// a "but" means something is still wrong ("धन्यवाद, कचरा उचलला पण गटार तुंबले")
const BUT = fold('पण परंतु मात्र पर लेकिन मगर किंतु अब but however though yet except pan parantu lekin magar');
const NOT = fold('नाही नहीं नही ना not no never nothing only half अर्धा अर्धवट आधा सिर्फ़ सिर्फ फक्त nahi nahin nai fakt');
// "… and dumped it near the school": more is said after the work, and it may be the complaint
const AND = fold('आणि व तसेच और तथा व् and also then ani aani aur');
// what may follow the work done and still be only thanks
const COURTESY = fold(`
  धन्यवाद आभार आभारी शुक्रिया बहुत खूप खुप मनापासून साहेब सर जी आज आता अब अभी पीएमसी महानगरपालिका
  thanks thank you very much lot so sir ji madam today now pmc team dhanyavad shukriya khup saheb
`);
// a request is not a thank-you for work done ("धन्यवाद, रस्ता दुरुस्त करा", "to be cleared asap thanks")
const REQUEST = fold(`
  करा करावा करावे करावी कराल करून द्या घ्यावा घ्यावे घ्यावी यावा यावे यावी विनंती कृपया
  करो करें कीजिए कीजिये करिए करवा करवाइए करवाएं दीजिए निवेदन
  please kindly pls plz request needs need should must asap to
  kara karave karo kijiye kariye karva vinanti
`);

/**
 * Thanks for a problem set right ("धन्यवाद, आमच्या गल्लीतला कचरा उचलला गेला", "thank you PMC, the pothole was
 * repaired"): it names a problem, so without this rule it reads as a new complaint. Only when the work is said to
 * be done, one problem is named, and nothing says otherwise: no "but", denial, request, or the problem persisting.
 * A real complaint read as thanks is lost, a thank-you read as a complaint is only a ticket to close: when unsure,
 * this says no.
 */
export function thanksForAFix(n: Pick<NormalizedMessage, 'text' | 'entities'>): boolean {
  if (n.entities.categories.length !== 1) return false;
  const tokens = matchTokens(n.text).map((t) => t.key);
  if (!tokens.some((t) => THANKS.has(t))) return false;
  if (tokens.some((t) => BUT.has(t) || NOT.has(t) || REQUEST.has(t) || AND.has(t)) || problemPersists(n.text)) return false;
  // the work word with a word of completion next to it ("उचलला गेला", "साफ हो गई", "was repaired", "fixed today"),
  // and after them nothing but courtesy: what follows the work may be the complaint ("…, the smell is unbearable")
  const at = tokens.findIndex((t, i) => FIXED.has(t) && [...tokens.slice(Math.max(0, i - 2), i), ...tokens.slice(i + 1, i + 4)].some((d) => DONE.has(d)));
  if (at < 0) return false;
  return tokens.slice(at + 1).every((t) => DONE.has(t) || COURTESY.has(t) || THANKS.has(t));
}
