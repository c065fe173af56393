import { escapeHtml } from '../auth/login-page.ts';

/** Markup already made safe: the only value `html` puts into a page as it is. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(value: Part): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return (value as readonly Part[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A template whose every interpolation is escaped unless it is itself `html` (or an array of it), so a page
 * cannot forget to escape: `html\`<td>${ticket.description.original}</td>\``. Attributes are always quoted.
 */
export function html(strings: TemplateStringsArray, ...values: readonly Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** a query string made from fields (empty ones left out), for links that keep a filter */
export function query(fields: Record<string, string | number | undefined>): string {
  const kept = Object.entries(fields).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return kept.length ? `?${new URLSearchParams(kept.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
