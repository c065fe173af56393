/**
 * A place the citizen wrote: "near Kothrud depot", "opp. Deccan bus stand", "शाळेसमोर", "बस स्टॉप जवळ",
 * "अस्पताल के सामने", "mandir ke paas", "Shivaji chowk", "सदाशिव पेठेत". Best effort from word patterns, no
 * grammar: a phrase of a few words for staff and the bot to read back, not an address. A shared pin (lat/lon)
 * is handled elsewhere.
 *
 * Works on the folded words of match-key.ts (shared with the ward and category matchers, so a message is cut
 * into words once), so every list below is written plainly and folded at load: "jawal" also finds "javal".
 */
import { foldWord, matchTokens, writtenLength, type MatchToken } from './match-key.ts';
import { vaguePlace } from './vague-place.ts';

const folded = (words: readonly string[]) => new Set(words.map(foldWord));

// English: the place follows the words ("near X")
const BEFORE_PLACE: readonly (readonly string[])[] = [
  ['in', 'front', 'of'],
  ['infront', 'of'],
  ['next', 'to'],
  ['near'],
  ['nr'],
  ['opp'],
  ['opposite'],
  ['behind'],
  ['beside'],
].map((seq) => seq.map(foldWord));
const BEFORE_PLACE_FIRST = new Set(BEFORE_PLACE.map((seq) => seq[0]!));
// Marathi and Hindi: the place comes before ("X जवळ", "X के पास")
const AFTER_PLACE = folded(['जवळ', 'समोर', 'jawal', 'samor', 'samore']);
// …and these only after a linker (X च्या मागे, X के पास), as alone they mean other things ("ago", "pass")
const AFTER_PLACE_WITH_LINKER = folded([
  'मागे', 'शेजारी', 'पास', 'सामने', 'पीछे', 'नज़दीक',
  'mage', 'shejari', 'paas', 'pas', 'samne', 'saamne', 'peeche', 'piche', 'nazdeek',
]);
const LINKERS = folded(['च्या', 'चा', 'ची', 'चे', 'के', 'की', 'chya', 'cha', 'chi', 'che', 'ke', 'ki']);
// glued to the place word itself: शाळेसमोर, मंदिराजवळ, दुकानामागे
const GLUED_AFTER_PLACE = [...folded(['जवळ', 'समोर', 'मागे', 'शेजारी'])];
// the genitive glued before a postposition (डेपोच्या जवळ) is not part of the place
const GLUED_GENITIVE = [...folded(['च्या', 'chya'])];

// a place named by its kind: "Karve Nagar", "Shivaji chowk", "सदाशिव पेठ", "पौड रोड", "जुना बाजार"
// (not मार्ग/marg: in Marathi it is far more often "a way (to do something)" than a road)
const PLACE_KINDS = [
  ...folded(['road', 'chowk', 'chauk', 'peth', 'nagar', 'colony', 'society', 'bazar', 'bazaar', 'रोड', 'चौक', 'पेठ', 'नगर', 'कॉलनी', 'सोसायटी', 'बाजार']),
];
// case endings on the kind word: रोडवर, चौकात, पेठेत, chowkat, roadla
const PLACE_KIND_ENDINGS = folded([
  'वर', 'ला', 'त', 'ात', 'ेत', 'मध्ये', 'मधे', 'मधील', 'च्या', 'चा', 'ची', 'चे', 'ातील', 'ेतील', 'ाच्या', 'ेच्या', 'ावर',
  'var', 'la', 'at', 'madhe', 'madhye', 'chya', 'cha',
]);
// words that close an English "near X" phrase, kinds included: "near Kothrud depot bus stop" → "Kothrud depot"
const PLACE_HEADS = new Set([
  ...PLACE_KINDS,
  ...folded([
    'depot', 'station', 'stand', 'stop', 'school', 'college', 'hospital', 'temple', 'mandir', 'masjid', 'church',
    'garden', 'park', 'market', 'bridge', 'hall', 'office', 'bank', 'building', 'complex', 'apartment', 'apartments',
    'tower', 'towers', 'lane', 'galli', 'circle', 'square', 'signal', 'gate', 'corner', 'theatre', 'mall',
  ]),
]);
// leading words skipped after "near": "near the bridge"
const FILLERS = folded(['the', 'a', 'an', 'to', 'our', 'my']);
// words that are never part of a place and end a phrase
const NOT_PLACE = folded([
  // English
  'the', 'a', 'an', 'my', 'our', 'your', 'his', 'her', 'their', 'this', 'that', 'these', 'those', 'it', 'its', 'is',
  'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'and', 'or', 'but', 'not', 'no', 'in', 'on', 'at', 'to',
  'from', 'for', 'since', 'with', 'without', 'by', 'there', 'here', 'which', 'where', 'who', 'please', 'pls', 'plz',
  'very', 'too', 'also', 'due', 'because', 'as', 'sir', 'madam', 'kindly', 'till', 'until', 'today', 'yesterday',
  'day', 'days', 'all', 'any', 'some', 'every', 'near', 'nr', 'opp', 'opposite', 'behind', 'beside',
  // Marathi
  'आमच्या', 'माझ्या', 'आमचा', 'आमची', 'आमचे', 'माझा', 'माझी', 'माझे', 'येथे', 'इथे', 'तिथे', 'तेथे', 'येथील', 'इथल्या',
  'हा', 'ही', 'हे', 'या', 'त्या', 'तो', 'ती', 'ते', 'आणि', 'व', 'पण', 'खूप', 'एक', 'आहे', 'आहेत', 'होता', 'होते',
  'नाही', 'रोज', 'सतत', 'गेल्या', 'दिवसांपासून', 'कृपया', 'साहेब', 'मध्ये', 'परिसरात', 'भागात', 'जातो', 'जाते',
  'टाकला', 'टाकतात', 'झाला', 'झाले', 'केला', 'केले', 'पडला', 'पडले', 'आला', 'आले', 'असतो', 'असते', 'तुमच्या', 'तुमचा',
  'आपल्या', 'त्यांच्या', 'त्याच्या', 'तिच्या',
  // Hindi
  'मेरे', 'मेरी', 'मेरा', 'हमारे', 'हमारी', 'हमारा', 'यहाँ', 'वहाँ', 'और', 'में', 'है', 'हैं', 'था', 'थी', 'का', 'से',
  'पर', 'को', 'बहुत', 'नहीं', 'इस', 'उस', 'पड़ा', 'पड़ी',
  // romanised
  'amchya', 'majhya', 'mazya', 'amcha', 'amchi', 'ithe', 'ikde', 'tithe', 'ya', 'hya', 'he', 'ani', 'aani', 'va', 'pan',
  'khup', 'ek', 'aahe', 'nahi', 'roj', 'kripaya', 'hamare', 'mere', 'yaha', 'yahan', 'aur', 'me', 'mein', 'hai', 'ka',
  'se', 'par', 'ko', 'bahut', 'padla', 'padle', 'pada', 'tumchya', 'tumcha', 'aplya', 'tyanchya', 'tyachya', 'tichya',
]);

const MAX_AFTER_TRIGGER = 4; // "near X" takes up to 4 words
const MAX_BEFORE = 3; // "X जवळ" and "X road" take up to 3 words

// punctuation between two words that ends a phrase: a place does not run across "Kothrud, garbage"
const BREAKS = new Set([...'.,;:!?।॥()[]{}"\'“”‘’…|'].map((c) => c.charCodeAt(0)));
const FULL_STOP = '.'.charCodeAt(0);
// a full stop after these is an abbreviation: "opp. Deccan", "Nr. Sarasbaug", "F.C. Road"
const ABBREVIATIONS = folded(['opp', 'nr', 'rd', 'no', 'st', 'dr', 'sr']);
const HAS_LETTER = /\p{L}/u;

/** For each word, whether punctuation that ends a phrase follows it (or the text ends). */
function breaksAfter(text: string, ws: readonly MatchToken[]): boolean[] {
  return ws.map((w, k) => {
    const to = ws[k + 1]?.start ?? text.length;
    let from = w.end;
    if (text.charCodeAt(from) === FULL_STOP && (ABBREVIATIONS.has(w.key) || w.end - w.start === 1)) from++;
    for (let i = from; i < to; i++) if (BREAKS.has(text.charCodeAt(i))) return true;
    return k === ws.length - 1;
  });
}

interface Words {
  text: string;
  ws: readonly MatchToken[];
  breakAfter: readonly boolean[];
}

interface Span {
  start: number;
  end: number;
}

/** What a word can be in a place phrase; worked out once per distinct word, as the sets above are many. */
interface Role {
  /** may be part of a place name */
  placeWord: boolean;
  /** starts an English "near X" */
  startsBefore: boolean;
  /** follows the place: 'plain' (X जवळ) or 'linked' (X च्या मागे, X के पास) */
  after?: 'plain' | 'linked';
  linker: boolean;
  /** the key of the place part when a relation word is glued to it (शाळेसमोर → शाळे) */
  gluedStem?: string;
  /** the key of the place kind it starts with (चौकात → चौक) */
  kind?: string;
}

function classify(key: string): Role {
  const role: Role = {
    placeWord: !NOT_PLACE.has(key) && !LINKERS.has(key) && HAS_LETTER.test(key),
    startsBefore: BEFORE_PLACE_FIRST.has(key),
    linker: LINKERS.has(key),
  };
  if (AFTER_PLACE.has(key)) role.after = 'plain';
  else if (AFTER_PLACE_WITH_LINKER.has(key)) role.after = 'linked';
  for (const glued of GLUED_AFTER_PLACE) {
    const stem = key.slice(0, -glued.length);
    // जवळजवळ means "almost", not "near जवळ"
    if (key.endsWith(glued) && stem.length >= 2 && !AFTER_PLACE.has(stem)) role.gluedStem = stem;
  }
  for (const kind of PLACE_KINDS) if (key.startsWith(kind) && (key.length === kind.length || PLACE_KIND_ENDINGS.has(key.slice(kind.length)))) role.kind = kind;
  return role;
}

const ROLE_CACHE_LIMIT = 50_000;
const roles = new Map<string, Role>();

function roleOf(key: string): Role {
  let role = roles.get(key);
  if (role === undefined) {
    if (roles.size >= ROLE_CACHE_LIMIT) roles.clear();
    roles.set(key, (role = classify(key)));
  }
  return role;
}

const isPlaceWord = (w: MatchToken) => roleOf(w.key).placeWord;

/**
 * "near X": up to MAX_AFTER_TRIGGER words from position i, cut back to the last place head among them if there is
 * one ("near Kothrud depot garbage" → "Kothrud depot", "near Sahakar Nagar post office" → all four).
 */
function placeAfter({ ws, breakAfter }: Words, i: number): Span | undefined {
  while (i < ws.length && FILLERS.has(ws[i]!.key) && !breakAfter[i]) i++;
  let last = -1;
  let lastHead = -1;
  for (let k = i; k < ws.length && k - i < MAX_AFTER_TRIGGER; k++) {
    if (!isPlaceWord(ws[k]!)) break;
    last = k;
    if (PLACE_HEADS.has(ws[k]!.key)) lastHead = k;
    if (breakAfter[k]) break;
  }
  if (lastHead >= 0) last = lastHead;
  return last < 0 ? undefined : { start: ws[i]!.start, end: ws[last]!.end };
}

/** "X जवळ": the place ends at `end` inside word j and reaches back up to MAX_BEFORE words, never across a break. */
function placeBefore({ ws, breakAfter }: Words, j: number, end: number): Span | undefined {
  if (j < 0 || !isPlaceWord(ws[j]!)) return undefined;
  let first = j;
  while (first > 0 && j - first + 1 < MAX_BEFORE && isPlaceWord(ws[first - 1]!) && !breakAfter[first - 1]) first--;
  return { start: ws[first]!.start, end };
}

/** Where word j ends without a glued genitive (डेपोच्या → डेपो). */
function endWithoutGenitive(text: string, w: MatchToken): number {
  for (const g of GLUED_GENITIVE)
    if (w.key.endsWith(g) && w.key.length - g.length >= 2) return w.start + writtenLength(text.slice(w.start, w.end), w.key.slice(0, -g.length));
  return w.end;
}

/** The words at i are `seq`, with no comma or full stop inside or after them. */
function sequenceAt({ ws, breakAfter }: Words, i: number, seq: readonly string[]): boolean {
  return seq.every((s, k) => ws[i + k]?.key === s && !breakAfter[i + k]);
}

/** A place marked by a relation word (near, जवळ, के पास): the earliest one in the text. */
function relationalPlace(words: Words): Span | undefined {
  const { text, ws, breakAfter } = words;
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    const role = roleOf(w.key);
    if (role.startsBefore) {
      for (const seq of BEFORE_PLACE) {
        const span = sequenceAt(words, i, seq) ? placeAfter(words, i + seq.length) : undefined;
        if (span) return span;
      }
    }
    if (role.after) {
      const linker = i > 0 && roleOf(ws[i - 1]!.key).linker && !breakAfter[i - 1];
      const j = linker ? i - 2 : i - 1;
      // the linker may be a word (शाळे च्या मागे) or glued on (शाळेच्या मागे)
      const linked = linker || (j >= 0 && endWithoutGenitive(text, ws[j]!) < ws[j]!.end);
      if ((linked || role.after === 'plain') && j >= 0 && !breakAfter[j]) {
        const span = placeBefore(words, j, endWithoutGenitive(text, ws[j]!));
        if (span) return span;
      }
    }
    if (role.gluedStem !== undefined) {
      const stem: MatchToken = { key: role.gluedStem, stems: [], start: w.start, end: w.start + writtenLength(text.slice(w.start, w.end), role.gluedStem) };
      const before = Math.max(0, i - MAX_BEFORE + 1);
      const withStem: Words = { text, ws: [...ws.slice(before, i), stem], breakAfter: [...breakAfter.slice(before, i), false] };
      const span = placeBefore(withStem, i - before, endWithoutGenitive(text, stem));
      if (span) return span;
    }
  }
  return undefined;
}

/** A place named by its kind ("Paud road", "Shivaji chowk", "सदाशिव पेठेत"): the earliest one in the text. */
function namedPlace(words: Words): Span | undefined {
  const { text, ws, breakAfter } = words;
  for (let i = 1; i < ws.length; i++) {
    let kind = roleOf(ws[i]!.key).kind;
    if (kind === undefined || breakAfter[i - 1]) continue;
    // "Karve Nagar Road", "Nana Peth Road": the kinds run on
    let last = i;
    for (let next: string | undefined; last + 1 < ws.length && !breakAfter[last] && ws[last]!.key === kind && (next = roleOf(ws[last + 1]!.key).kind); ) {
      last++;
      kind = next;
    }
    const span = placeBefore(words, i - 1, ws[i - 1]!.end);
    const lastWord = ws[last]!;
    if (span) return { start: span.start, end: lastWord.start + writtenLength(text.slice(lastWord.start, lastWord.end), kind) };
  }
  return undefined;
}

/**
 * The landmark or area phrase the citizen wrote, as written (a few words), or undefined. A place marked by a
 * relation word ("near", "जवळ", "के पास") is preferred over one named by its kind ("X road", "X चौक").
 */
export function extractPlace(text: string): string | undefined {
  const ws = matchTokens(text);
  if (ws.length === 0) return undefined;
  const words: Words = { text, ws, breakAfter: breaksAfter(text, ws) };
  const span = relationalPlace(words) ?? namedPlace(words);
  if (!span || vaguePlace(ws, span)) return undefined;
  return text.slice(span.start, span.end);
}
