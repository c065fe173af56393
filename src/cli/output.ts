/** What every listing command shares: `--json` prints one JSON array of all records, else a table. */
export interface ListOptions {
  json?: boolean;
  limit?: string;
}

/** A whole-number option, checked: Number('abc') is NaN, which must not slip through as "no limit" or "no workers". */
export function parseWholeNumber(option: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${option} must be a whole number ${range}, not "${value}"`);
  }
  return n;
}

export function parseLimit(limit: string | undefined): number | undefined {
  return limit === undefined ? undefined : parseWholeNumber('--limit', limit, 1);
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function printJson(records: unknown[]): void {
  process.stdout.write(JSON.stringify(records) + '\n');
}

/** A plain aligned table; cells are cut to `max` characters so one long complaint does not wrap the screen. */
export function printTable(headers: string[], rows: string[][], max = 48): void {
  const cut = (s: string) => {
    const flat = s.replace(/\s+/gu, ' ');
    const chars = [...flat];
    return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : flat;
  };
  const cells = rows.map((r) => r.map(cut));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i]! - [...c].length))).join('  ').trimEnd();
  process.stdout.write([line(headers), ...cells.map(line)].join('\n') + '\n');
  if (rows.length === 0) process.stdout.write('(none)\n');
}
