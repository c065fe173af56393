import { compile, type FormatCallback } from 'html-to-text';
import { cleanText } from './text.ts';

// A table cell: ' | ' before every cell but the first of its row, so a row reads as one line once whitespace is
// folded (column-aligned output would not survive cleanText's space folding).
const tableCell: FormatCallback = (elem, walk, builder) => {
  if (hasCellBefore(elem)) builder.addLiteral(' | ');
  walk(elem.children, builder);
};

interface DomNode {
  type?: string;
  name?: string;
  prev?: DomNode | null;
}

function hasCellBefore(elem: DomNode): boolean {
  for (let node = elem.prev; node; node = node.prev) {
    if (node.type === 'tag' && (node.name === 'td' || node.name === 'th')) return true;
  }
  return false;
}

// An image stands in the text as its alt text, if it has one; its address tells a reader nothing.
const imageAlt: FormatCallback = (elem, _walk, builder) => {
  const alt = (elem.attribs as Record<string, string | undefined> | undefined)?.alt?.trim();
  if (alt) builder.addInline(`[${alt}]`);
};

// compiled once: html-to-text builds its selector tables per options object
const convert = compile({
  wordwrap: false,
  formatters: { tableCell, imageAlt },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'imageAlt' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
  ],
});

/**
 * The readable text of an HTML body (an email, a web form): paragraphs and line breaks kept, links as
 * `text [url]`, images as their `[alt]` text or nothing, table rows one per line with cells joined by ` | `,
 * entities decoded, then {@link cleanText}.
 */
export function htmlToText(html: string): string {
  return cleanText(convert(html));
}
