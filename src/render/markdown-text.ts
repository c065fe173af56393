// CommonMark lets any ASCII punctuation be escaped with a backslash; these are the ones that can start markup
// (emphasis, links, images, code, headings, lists, quotes, tables, raw HTML).
const MARKUP = /[\\`*_[\]()#+\-!<>|~{}]/g;
// a line that begins "12." or "12)" would become a numbered list
const LIST_START = /^(\s*\d{1,9})([.)])/gm;
// a phone number as the bridge's texts write one: 10 to 13 digits, grouped by spaces or hyphens, not part of a word
// (a ticket number like PMC10001 is preceded by letters and is left alone)
const PHONE = /(?<![\p{L}\p{N}])\+?\d(?:[ -]?\d){9,12}(?![\p{L}\p{N}])/gu;

const escape = (text: string): string => text.replace(MARKUP, (c) => `\\${c}`);

/**
 * A reply as text for a channel that shows markdown (web chat): whatever it quotes of the citizen's own words is
 * shown as written, never as markup, and a phone number becomes a `tel:` link, so a citizen on a phone calls the
 * helpline with one tap.
 */
export function toMarkdown(text: string): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(PHONE)) {
    out += escape(text.slice(at, m.index)) + `[${escape(m[0])}](tel:${m[0].replace(/[ -]/g, '')})`;
    at = m.index + m[0].length;
  }
  return (out + escape(text.slice(at))).replace(LIST_START, '$1\\$2');
}
