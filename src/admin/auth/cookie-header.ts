export const SESSION_COOKIE = 'pmc_admin';

/**
 * One cookie's value from a Cookie header (RFC 6265 §5.4: `a=1; b=2`); the first of a name wins, as browsers
 * send the most specific path first. Values are taken as sent: ours are base64url and need no decoding.
 */
export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const line of lines) {
    for (const pair of line.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
      const value = pair.slice(eq + 1).trim();
      return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
  }
  return undefined;
}
