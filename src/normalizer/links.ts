export interface Links {
  /** as written, trailing punctuation removed: `https://…`, `http://…`, `www.…` */
  urls: string[];
  /** handles without the `@`: X / Instagram / Facebook style (letters, digits, `_`, inner `.`), not emails */
  mentions: string[];
  /** tags without the `#`, any script: `PuneRains`, `पुणे_महानगरपालिका` (combining marks are part of the tag) */
  hashtags: string[];
}

// One pass, left to right, so an @ or # inside a URL or an email is never read as a mention or a hashtag.
// Look-behinds come after each alternative's first literal (w, @, #): at the very start they would be tried at
// every position of the text. An http(s):// URL is taken even when glued to the word before it ("पहाhttps://…");
// www. only after a character that cannot be part of a host name, so "abc.www.x.in" is not cut in two.
const URL_PART = String.raw`(?:https?:\/\/|w(?<![A-Za-z0-9_@./\-]w)ww\.)[^\s<>"“”‘’«»]+`;
// an email is found at its @ (the local part is read backwards in code); the domain needs a dot
const EMAIL_PART = String.raw`@(?<=[\p{L}\p{N}_.+\-]@)[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`;
// X allows 15 characters, Instagram 30; a handle does not end with a dot (that is the sentence's full stop)
const MENTION_PART = String.raw`@(?<![\p{L}\p{N}_@.]@)(?<mention>[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![A-Za-z0-9_@]|\.[A-Za-z0-9_])`;
// a tag needs a letter: `#12345` is "number 12345" (ticket #12345), not a hashtag; `&#2346;` and `C#` are not tags
const HASHTAG_PART = String.raw`[#＃](?<![\p{L}\p{M}\p{N}_&#＃][#＃])(?<hashtag>[\p{L}\p{M}\p{N}_\u200C\u200D]*\p{L}[\p{L}\p{M}\p{N}_\u200C\u200D]*)`;
const LINKS = new RegExp(`(?<url>${URL_PART})|(?<email>${EMAIL_PART})|${MENTION_PART}|${HASHTAG_PART}`, 'giu');
// the local part of an email, read back from its @
const EMAIL_LOCAL_PART = /[\p{L}\p{M}\p{N}_.+-]{1,64}$/u;

const TRAILING_PUNCTUATION = /[.,;:!?'"*…।॥)\]}>]$/u;
const OPENER: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** A URL without the punctuation that ends the sentence around it; a closing bracket stays if the URL opened it. */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING_PUNCTUATION.test(url.slice(end - 1, end))) {
    const char = url[end - 1] as string;
    const opener = OPENER[char];
    // Wikipedia-style paths: `…/Pune_(city)` keeps its `)`
    if (opener && count(url, opener, end) >= count(url, char, end)) break;
    end--;
  }
  return url.slice(0, end);
}

/** occurrences of `char` in text[0, end) */
function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1 && i < end; i = text.indexOf(char, i + 1)) n++;
  return n;
}

interface LinkMatch {
  kind: 'url' | 'email' | 'mention' | 'hashtag';
  value: string;
  start: number;
  end: number;
}

function* linkMatches(text: string): Generator<LinkMatch> {
  LINKS.lastIndex = 0;
  for (let m = LINKS.exec(text); m; m = LINKS.exec(text)) {
    const groups = m.groups as Record<string, string | undefined>;
    const start = m.index;
    if (groups.url !== undefined) {
      const url = trimUrl(groups.url);
      yield { kind: 'url', value: url, start, end: start + url.length };
    } else if (groups.email !== undefined) {
      const local = EMAIL_LOCAL_PART.exec(text.slice(Math.max(0, start - 64), start))?.[0] ?? '';
      yield { kind: 'email', value: local + groups.email, start: start - local.length, end: start + m[0].length };
    } else if (groups.mention !== undefined) {
      yield { kind: 'mention', value: groups.mention, start, end: start + m[0].length };
    } else if (groups.hashtag !== undefined) {
      yield { kind: 'hashtag', value: groups.hashtag, start, end: start + m[0].length };
    }
  }
}

const MAY_HAVE_LINKS = /[@#＃]|https?:|www\./i;

/** URLs, @mentions and hashtags in order of first appearance, each once (handles and tags compared ignoring case). */
export function extractLinks(text: string): Links {
  const links: Links = { urls: [], mentions: [], hashtags: [] };
  if (!MAY_HAVE_LINKS.test(text)) return links;
  const seen = new Set<string>();
  for (const { kind, value } of linkMatches(text)) {
    if (kind === 'email') continue;
    const key = kind === 'url' ? `u ${value}` : `${kind[0]} ${value.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (kind === 'url') links.urls.push(value);
    else if (kind === 'mention') links.mentions.push(value);
    else links.hashtags.push(value);
  }
  return links;
}

/**
 * The text with each URL, email address, @mention and hashtag replaced by a space: what language detection should
 * read, since addresses and handles are not words of any language. `keepHashtags`: a hashtag's words stay
 * (#कचरा_मुक्त_पुणे is Marathi), only its `#` goes.
 */
export function withoutLinks(text: string, options: { keepHashtags?: boolean } = {}): string {
  if (!MAY_HAVE_LINKS.test(text)) return text;
  let out = '';
  let from = 0;
  for (const { kind, start, end } of linkMatches(text)) {
    if (kind === 'hashtag' && options.keepHashtags) continue;
    out += `${text.slice(from, start)} `;
    from = end;
  }
  return out + text.slice(from);
}
