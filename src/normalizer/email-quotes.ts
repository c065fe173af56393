// Quoted-reply stripping for plain-text email bodies: what the citizen wrote now, apart from the thread below it.
//
// Input is the decoded text/plain body (or HTML already converted to text), before cleanText(): blank lines and
// leading '>' marks are what this file reads. Nothing here parses MIME.
//
// Forwards are kept on purpose: when a citizen (or a corporator's office) forwards a message to the complaints
// mailbox, the forwarded text *is* the complaint. A forward marker ("---------- Forwarded message ---------",
// "Begin forwarded message:", Outlook's "From:/Sent:/To:/Subject:" block under a "FW:" subject) is reported as
// `forwarded` and left in the body; a reply header found further down, inside the forwarded mail, still cuts
// the older thread below it.

export interface QuoteStripResult {
  /** the new text; never empty when the input had text */
  body: string;
  /** what was cut off, for the archive view; undefined when nothing was cut */
  quoted: string | undefined;
  /** a forward marker was found and its content kept in `body` */
  forwarded: boolean;
}

export interface QuoteStripOptions {
  /** the message's Subject: an Outlook header block under a "FW:" subject is a forward, not a quoted reply */
  subject?: string;
}

const QUOTE_LINE = /^[ \t]*>/;
const BLANK_LINE = /^\s*$/;

// "On Mon, 3 Jun 2024 at 10:12, Name <a@b> wrote:" (Gmail, Apple Mail, Thunderbird, Yahoo) and the Marathi and
// Hindi forms, whose verb comes last: "… <a@b> ने लिहिले:", "… यांनी लिहिले:", "… ने लिखा:". Gmail's exact mr/hi
// strings could not be checked against a source, so any line *ending* in the verb and a colon (or visarga) counts.
const WROTE_AT_END = /(?:\bwrote|\bwrites|लिहिले|लिहिलं|लिहीले|लिखा|लिखी)[ \t]*(?::|\u0903|\uFF1A)[ \t]*$/iu;
// a real attribution line carries an address or a clock time; "On 3 June your officer wrote:" in a complaint does not
const ATTRIBUTION_EVIDENCE = /@|[0-9०-९]{1,2}[:.][0-9०-९]{2}/u;
const MAX_ATTRIBUTION_LENGTH = 400;
const MIN_WRAPPED_PART = 30;
const SENTENCE_END = /[.!?।][ \t]*$/u;

// Outlook (classic and Express), Thunderbird ("मूल संदेश" is Thunderbird's hi-IN string; "मूळ संदेश" the Marathi form)
const ORIGINAL_MESSAGE = /^[ \t]*-{3,}[ \t]*(?:original message|reply message|मूल संदेश|मूळ संदेश)[ \t]*-{3,}[ \t]*$/iu;
// the rule above Outlook's From:/Sent:/To:/Subject: block: underscores in text/plain, dashes where an HTML <hr> was converted
const UNDERSCORE_RULE = /^[ \t]*(?:_{10,}|-{10,})[ \t]*$/;

const FORWARD_MARKER = new RegExp(
  '^[ \\t]*(?:' +
    '-{3,}[ \\t]*(?:forwarded message|अग्रेषित संदेश|फ़ॉरवर्ड किया गया संदेश|फॉरवर्ड किया गया संदेश|' +
    // Marathi mail clients say मेसेज as often as संदेश ("---------- फॉरवर्ड केलेला मेसेज ---------")
    'फॉरवर्ड केलेला (?:संदेश|मेसेज)|पुढे पाठवलेला (?:संदेश|मेसेज)|फॉरवर्ड किया गया मैसेज)[ \\t]*-{3,}' +
    '|begin forwarded message[ \\t]*:' +
    ')[ \\t]*$',
  'iu',
);
const FORWARD_SUBJECT = /^[ \t]*(?:\[[^\]]{0,40}\][ \t]*)?(?:fwd?|fw|अग्रेषित|फॉरवर्ड|फ़ॉरवर्ड)[ \t]*:/iu;

type HeaderField = 'from' | 'sent' | 'to' | 'cc' | 'subject';

// Header labels of an Outlook quote block, English and the Marathi/Hindi labels Outlook and Gmail localise to.
// Short labels like "से:" or "ला:" only count inside a block that starts with a From label and names a subject
// or a date, so a line of complaint text cannot start a block by itself.
const HEADER_LABELS: ReadonlyMap<string, HeaderField> = new Map<string, HeaderField>([
  ['from', 'from'],
  ['प्रेषक', 'from'],
  ['कडून', 'from'],
  ['से', 'from'],
  ['sent', 'sent'],
  ['date', 'sent'],
  ['पाठविले', 'sent'],
  ['पाठवले', 'sent'],
  ['पाठवलेले', 'sent'],
  ['भेजा गया', 'sent'],
  ['भेजा', 'sent'],
  ['दिनांक', 'sent'],
  ['तारीख', 'sent'],
  ['to', 'to'],
  ['प्रति', 'to'],
  ['ला', 'to'],
  ['को', 'to'],
  ['प्राप्तकर्ता', 'to'],
  ['cc', 'cc'],
  ['bcc', 'cc'],
  ['सीसी', 'cc'],
  ['प्रतिलिपि', 'cc'],
  ['subject', 'subject'],
  ['विषय', 'subject'],
]);
// longest labels first, so "भेजा गया" wins over "भेजा"
const HEADER_LINE = new RegExp(
  '^[ \\t*]*(' +
    [...HEADER_LABELS.keys()].sort((a, b) => b.length - a.length).join('|') +
    ')[ \\t*]*:',
  'iu',
);
// how far below a From line the rest of an Outlook header block may reach (wrapped To:/Cc: lists included)
const HEADER_BLOCK_REACH = 8;

function headerField(line: string): HeaderField | undefined {
  const match = HEADER_LINE.exec(line);
  return match?.[1] === undefined ? undefined : HEADER_LABELS.get(match[1].toLowerCase());
}

/** An Outlook-style header block starts at `start`: a From line, then at least two more labels, one a subject or date. */
function isHeaderBlock(lines: readonly string[], start: number): boolean {
  if (headerField(lines[start] ?? '') !== 'from') return false;
  let labels = 0;
  let subjectOrDate = false;
  const last = Math.min(lines.length - 1, start + HEADER_BLOCK_REACH);
  for (let i = start + 1; i <= last; i++) {
    const line = lines[i] ?? '';
    if (BLANK_LINE.test(line)) break;
    const field = headerField(line);
    if (field === undefined || field === 'from') continue;
    labels++;
    if (field === 'subject' || field === 'sent') subjectOrDate = true;
  }
  return labels >= 2 && subjectOrDate;
}

function nextNonBlank(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && BLANK_LINE.test(lines[i] ?? '')) i++;
  return i;
}

/** The last line of the '>' block starting at or after `from` (blank lines inside the block belong to it). */
function quoteBlockEnd(lines: readonly string[], from: number): number {
  let end = from;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (QUOTE_LINE.test(line)) end = i;
    else if (!BLANK_LINE.test(line)) break;
  }
  return end;
}

function countQuoteLines(lines: readonly string[], from: number, to: number): number {
  let count = 0;
  for (let i = from; i <= to; i++) if (QUOTE_LINE.test(lines[i] ?? '')) count++;
  return count;
}

/**
 * The attribution line ("… wrote:") at `i`, alone or wrapped over lines i and i+1 as Gmail wraps long ones.
 * Returns the index of its last line, or -1.
 */
function attributionEnd(lines: readonly string[], i: number): number {
  const line = lines[i] ?? '';
  if (BLANK_LINE.test(line) || QUOTE_LINE.test(line) || line.length > MAX_ATTRIBUTION_LENGTH) return -1;
  let end = -1;
  let joined = line;
  if (WROTE_AT_END.test(line)) {
    end = i;
  } else {
    // Gmail wraps at about 78 characters: the first part is long and does not end a sentence
    const next = lines[i + 1];
    const wrapped = line.trim().length >= MIN_WRAPPED_PART && !SENTENCE_END.test(line);
    if (wrapped && next !== undefined && !BLANK_LINE.test(next) && !QUOTE_LINE.test(next) && next.length <= 200 && WROTE_AT_END.test(next)) {
      end = i + 1;
      joined = `${line} ${next}`;
    }
  }
  if (end < 0) return -1;
  if (ATTRIBUTION_EVIDENCE.test(joined)) return end;
  // without an address or a time, only a '>' block right below makes it a reply header
  return QUOTE_LINE.test(lines[nextNonBlank(lines, end + 1)] ?? '') ? end : -1;
}

interface Region {
  start: number;
  end: number;
}

/**
 * Split an email body into the new text and the quoted thread. Cuts at the first reply header that follows new
 * text (Gmail/Apple/Thunderbird "… wrote:" and its Marathi/Hindi forms, Outlook "-----Original Message-----" and
 * From:/Sent:/To:/Subject: blocks in English, Marathi and Hindi), and removes '>' blocks with their header. When
 * the message starts with the quote (bottom-posting, inline answers), the unquoted text below it is the body.
 * A forward is kept (see the file comment). If nothing but quotes is left, the whole text is returned as body.
 */
export function stripQuotedReply(text: string, options: QuoteStripOptions = {}): QuoteStripResult {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const regions: Region[] = [];
  let forwarded = false;
  // lines up to this index may hold the header block of a forward, which is content, not a quote
  let forwardHeadersUntil = -1;
  let subjectForwards = options.subject !== undefined && FORWARD_SUBJECT.test(options.subject);
  let seenText = false;

  const cutToEnd = (start: number): void => {
    regions.push({ start, end: lines.length - 1 });
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (BLANK_LINE.test(line)) continue;

    if (FORWARD_MARKER.test(line)) {
      forwarded = true;
      forwardHeadersUntil = i + 1 + HEADER_BLOCK_REACH;
      seenText = true;
      // Apple Mail's plain-text forward puts the forwarded mail in a '>' block: that block is content
      const below = nextNonBlank(lines, i + 1);
      if (below < lines.length && QUOTE_LINE.test(lines[below] ?? '')) i = quoteBlockEnd(lines, below);
      continue;
    }
    if (ORIGINAL_MESSAGE.test(line)) {
      cutToEnd(i);
      break;
    }
    const blockStart = UNDERSCORE_RULE.test(line) ? nextNonBlank(lines, i + 1) : i;
    if (blockStart < lines.length && isHeaderBlock(lines, blockStart)) {
      if (blockStart <= forwardHeadersUntil || subjectForwards) {
        // the forward's own From/Date/Subject lines: keep them with the forwarded text
        forwarded = true;
        subjectForwards = false;
        forwardHeadersUntil = -1;
        seenText = true;
        i = blockStart;
        continue;
      }
      cutToEnd(i);
      break;
    }

    const headerEnd = attributionEnd(lines, i);
    if (headerEnd >= 0) {
      const below = nextNonBlank(lines, headerEnd + 1);
      if (below < lines.length && QUOTE_LINE.test(lines[below] ?? '')) {
        const end = quoteBlockEnd(lines, below);
        regions.push({ start: i, end });
        i = end;
        continue;
      }
      // an unmarked quote (Outlook-style or HTML converted without '>'): everything below is the old thread
      cutToEnd(i);
      break;
    }

    if (QUOTE_LINE.test(line)) {
      const end = quoteBlockEnd(lines, i);
      // Without a header, a '>' block is the thread when the message starts with it (bottom-posting, inline
      // answers), when a quote was already cut above (the next inline quote), or when it closes the message and
      // is more than one line. A '>' line or block inside the citizen's own text ("> 5 days without water") stays.
      const atEnd = nextNonBlank(lines, end + 1) >= lines.length;
      if (!seenText || regions.length > 0 || (atEnd && end > i && countQuoteLines(lines, i, end) >= 2)) {
        regions.push({ start: i, end });
        i = end;
        continue;
      }
    }
    seenText = true;
  }

  if (regions.length === 0) return { body: text.trim(), quoted: undefined, forwarded };

  const kept: string[] = [];
  const cut: string[] = [];
  let r = 0;
  for (let i = 0; i < lines.length; i++) {
    const region = regions[r];
    if (region !== undefined && i >= region.start && i <= region.end) {
      cut.push(lines[i] ?? '');
      if (i === region.end) r++;
    } else {
      kept.push(lines[i] ?? '');
    }
  }
  const body = tidy(kept);
  // never an empty body: a message that is nothing but a quote is kept whole
  if (body.length === 0) return { body: text.trim(), quoted: undefined, forwarded };
  return { body, quoted: tidy(cut), forwarded };
}

/** Join lines, fold runs of blank lines left where a quote was cut out, trim. */
function tidy(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replace(/\n[ \t]*(?:\n[ \t]*){2,}/g, '\n\n')
    .trim();
}
