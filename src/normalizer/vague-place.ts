import { foldedWords, type MatchToken } from './match-key.ts';

/**
 * Place phrases that tell a ward office nothing: "my house", "our society" (the citizen's own), and "the main
 * road", "मेन रोड", "मुख्य रस्ता" (any street in the city). A complaint naming only such a place is asked where.
 */

// "आमच्या सोसायटीसमोर", "माझ्या घराजवळ", "near my house": true, but it tells a ward office nothing
const POSSESSIVES = foldedWords(
  'माझ्या माझे माझी आमच्या आमचे आमची मेरे मेरी मेरा हमारे हमारी हमारा my our majhya mazya amchya aamchya mere meri hamare hamari',
);
const GENERIC_PLACES = foldedWords(
  'घर घरा सोसायटी सोसायटीच इमारत बिल्डिंग गल्ली गल्लीत रस्ता भाग परिसर कॉलनी वाडी दुकान गली मकान इलाका मोहल्ला ' +
    'चाळ वस्ती अपार्टमेंट टॉवर फ्लॅट गेट दार अंगण शाळा ऑफिस कार्यालय बंगला प्लॉट विंग सोसाइटी बस्ती ' +
    'house home society building street lane road area colony shop place flat ghar galli gali apartment tower gate ' +
    'office school bungalow plot wing compound premises chawl wasti vasti imarat',
);
// a kind of street: with no name beside it, any street in the city
const STREETS = foldedWords('रस्ता रस्त्या रोड सड़क सडक गल्ली गली मार्ग हायवे road street lane highway rasta rastya sadak galli gali');
// words that say which of many streets without naming one: "the main road", "बड़ी सड़क", "हा रस्ता"
const VAGUE_QUALIFIERS = foldedWords(
  'मेन मुख्य मोठा मोठ्या मोठी मोठे लहान छोटा छोटी छोटे छोट्या नवीन नवा नव्या जुना जुन्या जुनी हा ही हे या त्या तो ती ' +
    'बड़ी बड़ा बड़े बडी बडा बडे नया नई नए पुराना पुरानी पुराने यह ये वह वो इस उस इसी उसी अंदर अंदरचा अंदरची बाहेरचा ' +
    'main big small new old the this that same inner internal back side service wide narrow busy ' +
    'mukhya motha mothya lahan chhota chhoti navin juna bada badi naya nayi purana',
);
// Marathi puts a noun in its oblique form before a postposition (इमारत → इमारती-समोर, शाळा → शाळे-समोर, घर → घरा-जवळ)
const OBLIQUE_ENDING = /[ाेीिॅ]$/u;

function genericPlace(word: string): boolean {
  return GENERIC_PLACES.has(word) || GENERIC_PLACES.has(word.replace(OBLIQUE_ENDING, '')) || GENERIC_PLACES.has(word.replace(OBLIQUE_ENDING, 'ा'));
}

const generic = (w: MatchToken): boolean => genericPlace(w.key) || w.stems.some(genericPlace);
const inSet = (set: Set<string>) => (w: MatchToken): boolean => set.has(w.key) || set.has(w.key.replace(OBLIQUE_ENDING, '')) || w.stems.some((s) => set.has(s));
const street = inSet(STREETS);
const qualifier = inSet(VAGUE_QUALIFIERS);

/** whether the place phrase `span` of `ws` names no place a ward office could find */
export function vaguePlace(ws: readonly MatchToken[], span: { start: number; end: number }): boolean {
  const first = ws.findIndex((w) => w.start >= span.start);
  if (first < 0) return false;
  // the citizen's own: "my/our" + a generic noun
  if (first > 0 && POSSESSIVES.has(ws[first - 1]!.key) && generic(ws[first]!)) return true;
  // a kind of street and words that say which without naming it ("the main road"); "near the school" stays a place
  const inside = ws.filter((w) => w.start >= span.start && w.start < span.end);
  return inside.some(street) && inside.every((w) => street(w) || qualifier(w));
}
