/**
 * Undo the commonest mis-decoding of Indic text: UTF-8 bytes read as Windows-1252/Latin-1 ("à¤•à¤šà¤°à¤¾") or as
 * DOS Cyrillic IBM866 ("рдХрдЪрд░рд╛"), which old mail clients, spreadsheets and CSV exports still produce.
 *
 * Conservative: only text that carries the signature of UTF-8 Devanagari/Bengali/Gujarati lead bytes (E0 A4–AB)
 * is touched, and only when the bytes decode as valid UTF-8 again. Anything else is returned unchanged.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function reverseTable(label: string): Map<string, number> {
  const decoder = new TextDecoder(label);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) {
    const ch = decoder.decode(Uint8Array.of(byte));
    if (ch !== '\uFFFD' && !table.has(ch)) table.set(ch, byte);
  }
  return table;
}

// built lazily: most processes never see mojibake
let cp1252: Map<string, number> | undefined;
let ibm866: Map<string, number> | undefined;

// E0 then A4..AB (U+0900–U+0AFF) as Windows-1252 is "à¤".."à«"; as IBM866 it is "р" then д, е, ж, з, и, й, к, л
const WINDOWS_1252_SIGNATURE = /à[¤¥¦§¨©ª«]/u;
const IBM866_SIGNATURE = /р[дежзийкл]/u;

function reencode(text: string, table: Map<string, number>): string | undefined {
  const bytes = new Uint8Array(text.length * 2);
  let n = 0;
  for (const ch of text) {
    const byte = table.get(ch);
    if (byte !== undefined) bytes[n++] = byte;
    else if (ch.charCodeAt(0) < 0x80) bytes[n++] = ch.charCodeAt(0);
    else return undefined; // a character this charset cannot have produced: not this kind of mojibake
  }
  try {
    return UTF8.decode(bytes.subarray(0, n));
  } catch {
    return undefined;
  }
}

export function repairMojibake(text: string): string {
  if (WINDOWS_1252_SIGNATURE.test(text)) {
    cp1252 ??= reverseTable('windows-1252');
    return reencode(text, cp1252) ?? text;
  }
  if (IBM866_SIGNATURE.test(text)) {
    ibm866 ??= reverseTable('ibm866');
    return reencode(text, ibm866) ?? text;
  }
  return text;
}
