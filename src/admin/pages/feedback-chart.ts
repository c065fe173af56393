import { html, type Html } from './html.ts';
import type { ReportWords } from './report-words.ts';

/**
 * The feedback report's two charts, as inline SVG made here: no script, nothing from a CDN, and a page that works
 * offline on an officer's phone. The drawing is 320 units wide and shown at most 24rem wide: on a phone one unit
 * is about one pixel, so 13-unit text reads as 13 px. Each label sits on its own line above its bar, so a long
 * Marathi name never squeezes the bar.
 */

const W = 320;
const PLOT = W - 40; // room at the right for the value after a full bar
const TOP = 24; // the overall average's label
const ROW = 42;
const BLUE = '#1d4ed8';
const ORANGE = '#c2410c';
const GRID = '#d1d5db';
const MOST_LABEL = 34;
const HALO = html` stroke="#fff" stroke-width="3" paint-order="stroke"`;
// 1 (bad) to 5 (good), red to green; text on each as dark or light as it needs
const RATING_FILL = ['#b91c1c', '#ea580c', '#facc15', '#84cc16', '#15803d'] as const;
const RATING_TEXT = ['#fff', '#fff', '#111', '#111', '#fff'] as const;

// one decimal of a unit is finer than any screen shows
const r = (n: number) => Math.round(n * 10) / 10;
const x = (average: number) => r(2 + (average / 5) * PLOT);
const one = (n: number) => n.toFixed(1);
const cut = (s: string) => ([...s].length > MOST_LABEL ? `${[...s].slice(0, MOST_LABEL - 1).join('')}…` : s);

function svg(id: string, title: string, desc: string, height: number, body: Html): Html {
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${height}" width="100%" style="max-width:24rem;display:block" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${body}</svg>`;
}

export interface AverageBar {
  label: string;
  average: number;
  rated: number;
}

/** Horizontal bars of each department's average (best first), the overall average as a dashed line across them. */
export function averageChart(bars: readonly AverageBar[], overall: number, w: ReportWords): Html {
  const sorted = [...bars].sort((a, b) => b.average - a.average || a.label.localeCompare(b.label));
  const bottom = TOP + sorted.length * ROW;
  const grid = [1, 2, 3, 4, 5].map(
    (v) => html`<line x1="${x(v)}" y1="${TOP - 4}" x2="${x(v)}" y2="${bottom}" stroke="${GRID}" stroke-width="1"/><text x="${x(v)}" y="${bottom + 16}" font-size="12" text-anchor="middle" fill="#555">${v}</text>`,
  );
  // bars, then the line over them, then the text over both, ringed in white so the line never hides a letter
  const rects = sorted.map((b, i) => html`<rect x="2" y="${TOP + i * ROW + 20}" width="${Math.max(2, x(b.average) - 2)}" height="14" rx="2" fill="${b.average < overall ? ORANGE : BLUE}"/>`);
  const texts = sorted.map((b, i) => {
    const y = TOP + i * ROW;
    const fill = b.average < overall ? ORANGE : BLUE;
    return html`<text x="2" y="${y + 14}" font-size="13" fill="#111"${HALO}>${cut(b.label)} · ${w.ratings(b.rated)}</text><text x="${x(b.average) + 4}" y="${y + 32}" font-size="12" font-weight="600" fill="${fill}"${HALO}>${one(b.average)}</text>`;
  });
  const ox = x(overall);
  const line = html`<line x1="${ox}" y1="${TOP - 6}" x2="${ox}" y2="${bottom}" stroke="#111" stroke-width="1.5" stroke-dasharray="4 3"/><text x="${ox}" y="${TOP - 10}" font-size="12" fill="#111" text-anchor="${ox > W / 2 ? 'end' : 'start'}">${w.overallAverage(one(overall))}</text>`;
  return svg('avg', w.averageChart, w.averageChartDesc, bottom + 22, html`${grid}${rects}${line}${texts}`);
}

/** One bar split by rating, 1 to 5, with a legend of counts and shares underneath (a thin slice has no room inside). */
export function distributionChart(distribution: readonly number[], w: ReportWords): Html {
  const total = distribution.reduce((a, b) => a + b, 0);
  const share = (n: number) => (total === 0 ? 0 : n / total);
  let at = 0;
  const slices = distribution.map((n, i) => {
    const width = r(share(n) * W);
    const start = at;
    at = r(at + width);
    if (n === 0) return html``;
    const label = width >= 22 ? html`<text x="${r(start + width / 2)}" y="19" font-size="12" font-weight="600" text-anchor="middle" fill="${RATING_TEXT[i]}">${n}</text>` : '';
    return html`<rect x="${start}" y="0" width="${width}" height="28" fill="${RATING_FILL[i]}"/>${label}`;
  });
  const column = W / 5;
  const legend = distribution.map(
    (n, i) => html`<g><rect x="${r(i * column)}" y="40" width="11" height="11" fill="${RATING_FILL[i]}"/><text x="${r(i * column + 15)}" y="50" font-size="13" fill="#111">${i + 1}★</text><text x="${r(i * column)}" y="68" font-size="12" fill="#555">${n} · ${Math.round(share(n) * 100)}%</text></g>`,
  );
  const desc = distribution.map((n, i) => `${i + 1}★: ${n}`).join(', ');
  return svg('dist', w.distribution, desc, 76, html`${slices}${legend}`);
}
