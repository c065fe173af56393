/** Deeper than this is no channel's payload; recursive code downstream (JSON.stringify, zod) would overflow long before 10k. */
export const MOST_JSON_DEPTH = 64;
/** values in one body (objects, arrays and their members); a webhook batch of a few hundred events stays far below */
export const MOST_JSON_VALUES = 50_000;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One linear pass over a JSON text before it is parsed, outside strings: how deep it nests and how many values it
 * holds. Returns why it is refused, or undefined. Malformed text passes here and fails in JSON.parse.
 */
export function checkJsonShape(raw: string, mostDepth = MOST_JSON_DEPTH, mostValues = MOST_JSON_VALUES): string | undefined {
  let depth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > mostDepth) return `the JSON body nests deeper than ${mostDepth} levels`;
      values++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA) values++;
    if (values > mostValues) return `the JSON body holds more than ${mostValues} values`;
  }
  return undefined;
}
