import type { NormalizedMessage } from '../../normalizer/index.ts';
import { foldedWords as fold, matchTokens } from '../../normalizer/match-key.ts';
import { problemPersists } from './rating-answer.ts';

// words of thanks, in the three languages and in Latin letters
const THANKS = fold('धन्यवाद आभार आभारी थँक्यू थॅंक्यू शुक्रिया धन्यवादम् thanks thank thanku thankyou thx dhanyavad dhanyawad abhar aabhar shukriya');
// the work is done: a verb of doing or becoming after the problem's noun ("कचरा उचलला", "पानी आने लगा", "pothole filled")
const FIXED = fold(`
  उचलला उचलले उचलली उचलल्याबद्दल दुरुस्त बुजवला बुजवले बुजवली साफ स्वच्छ सुरू चालू आले आला आली भरला भरले
  उठा उठाया उठाया गया ठीक भर भरा भरी जल जलने आने आया आई चालू साफ़ बदल
  collected cleared cleaned filled fixed repaired restored resumed working works back done removed replaced
  uchalla uchalle uchalli durust sudharla suru chalu aala aali saaf thik theek bhar gaya gayi
`);
// a "but" means something is still wrong ("धन्यवाद, पाणी आले पण गढूळ आहे")
const BUT = fold('पण परंतु मात्र पर लेकिन मगर किंतु but however though yet except pan parantu lekin magar');
const NOT = fold('नाही नहीं नही ना not no never nahi nahin nai');
// a request is not a thank-you for work done ("धन्यवाद, रस्ता दुरुस्त करा")
const REQUEST = fold('करा करावा करावे करावी कृपया करो करें कीजिए कीजिये करिए करवाइए please kindly pls plz kara karave karo kijiye kariye');

/**
 * Thanks for a problem set right ("धन्यवाद, आमच्या गल्लीतला कचरा उचलला गेला", "thank you PMC, water supply is back"):
 * it names a problem, so without this rule it reads as a new complaint. Not when the problem is said to persist,
 * is denied ("not fixed"), or a "but" follows.
 */
export function thanksForAFix(n: Pick<NormalizedMessage, 'text'>): boolean {
  const tokens = matchTokens(n.text).map((t) => t.key);
  if (!tokens.some((t) => THANKS.has(t)) || tokens.some((t) => BUT.has(t) || NOT.has(t) || REQUEST.has(t))) return false;
  if (problemPersists(n.text)) return false;
  return tokens.some((t) => FIXED.has(t));
}
