import type { FastifyInstance } from 'fastify';
import { feedbackCsv, formatAverage, formatPercent, type FeedbackLine } from '../../report/feedback-csv.ts';
import { loadFeedbackReport } from '../../report/load-feedback-report.ts';
import { reportPeriod, type PeriodProblem } from '../../report/period.ts';
import type { AdminPagesDeps } from './deps.ts';
import { averageChart, distributionChart } from './feedback-chart.ts';
import { html, query, type Html } from './html.ts';
import { layout } from './layout.ts';
import { openPage } from './page-context.ts';
import { REPORT_WORDS, type ReportWords } from './report-words.ts';
import { sendPage } from './respond.ts';

const PAGE = '/admin/reports/feedback';

function periodForm(w: ReportWords, show: string, values: { from: string; to: string }, problem?: PeriodProblem): Html {
  const field = (name: 'from' | 'to', label: string) => {
    const wrong = problem?.field === name;
    const said = wrong ? (problem.problem === 'order' ? w.order : w.badDay) : '';
    return html`<div><label for="f-${name}">${label}</label><input type="date" id="f-${name}" name="${name}" value="${values[name]}"${wrong ? html` aria-invalid="true" aria-describedby="f-${name}-problem"` : ''}>${wrong ? html`<p class="problem" id="f-${name}-problem">${said}</p>` : ''}</div>`;
  };
  return html`<form method="get" action="${PAGE}" class="filters card">${field('from', w.from)}${field('to', w.to)}<button type="submit">${show}</button><p class="hint">${w.periodHint}</p></form>`;
}

const answered = (l: FeedbackLine) => (l.asked === 0 ? '—' : `${l.answered} (${formatPercent(l.responseRate)}%)`);
const average = (l: FeedbackLine) => formatAverage(l.average) || '—';

function linesTable(lines: readonly FeedbackLine[], w: ReportWords): Html {
  const head = [w.name, w.asked, `${w.answered} (${w.responseRate})`, w.rated, w.average, '1★', '2★', '3★', '4★', '5★', w.followUps];
  return html`<table class="cards"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${lines.map((l) => {
    const cells = [l.name, l.asked, answered(l), l.rated, average(l), ...l.distribution, l.followUps];
    return html`<tr>${cells.map((c, i) => (i === 0 ? html`<td><b>${c}</b></td>` : html`<td data-label="${head[i]}">${c}</td>`))}</tr>`;
  })}</tbody></table>`;
}

function overallFigures(l: FeedbackLine, w: ReportWords): Html {
  const items: [string, string | number][] = [
    [w.asked, l.asked],
    [`${w.answered} (${w.responseRate})`, answered(l)],
    [w.rated, l.rated],
    [w.average, average(l)],
    [w.followUps, l.followUps],
  ];
  return html`<dl>${items.map(([k, v]) => html`<dt>${k}</dt><dd><b>${v}</b></dd>`)}</dl>`;
}

/**
 * The feedback report for supervisors and admins: a period form (the last 30 days unless asked), the figures
 * overall, two charts, a table per department and per ward office, and the same CSV as `pmc-bridge report feedback`.
 */
export function registerFeedbackReportPage(server: FastifyInstance, deps: AdminPagesDeps): void {
  server.get(PAGE, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'reports' });
    if (!ctx) return reply;
    const w = REPORT_WORDS[ctx.t.lang];
    const asked = reportPeriod({ from: ctx.query.from, to: ctx.query.to }, ctx.now);
    if (!asked.ok) {
      const body = html`<h1>${w.title}</h1>${periodForm(w, ctx.t.common.filter, { from: ctx.query.from ?? '', to: ctx.query.to ?? '' }, asked.problem)}`;
      return sendPage(reply, 400, layout(ctx, { title: w.title, body }));
    }
    const { period } = asked;
    const { report, lines } = await loadFeedbackReport(deps.store, period, ctx.t.lang);
    const [overall, ...rest] = lines;
    const departments = rest.filter((l) => l.scope === 'department');
    const wards = rest.filter((l) => l.scope === 'ward');
    const csv = `${PAGE}.csv${query({ from: period.fromDay, to: period.toDay })}`;
    const bars = departments.flatMap((l) => (l.average === undefined ? [] : [{ label: l.name, average: l.average, rated: l.rated }]));
    const charts =
      report.overall.average === undefined
        ? html`<section><p>${w.noRatings}</p></section>`
        : html`<section><h2>${w.averageChart}</h2>${averageChart(bars, report.overall.average, w)}<p class="hint">${w.averageChartDesc} ${w.belowAverage}</p></section>
<section><h2>${w.distribution}</h2>${distributionChart(report.overall.distribution, w)}</section>`;
    const body = html`<h1>${w.title}</h1>${periodForm(w, ctx.t.common.filter, { from: period.fromDay, to: period.toDay })}
<section><h2>${w.overall} · ${w.period(period.fromDay, period.toDay)}</h2>${overall ? overallFigures(overall, w) : ''}<p><a href="${csv}" download>${w.download}</a></p></section>
${charts}
<section><h2>${w.byDepartment}</h2>${linesTable(departments, w)}</section>
<section><h2>${w.byWard}</h2>${linesTable(wards, w)}</section>`;
    return sendPage(reply, 200, layout(ctx, { title: w.title, body }));
  });

  server.get(`${PAGE}.csv`, async (request, reply) => {
    const ctx = await openPage(deps, request, reply, { read: 'reports' });
    if (!ctx) return reply;
    const w = REPORT_WORDS[ctx.t.lang];
    const asked = reportPeriod({ from: ctx.query.from, to: ctx.query.to }, ctx.now);
    if (!asked.ok) {
      const said = asked.problem.problem === 'order' ? w.order : `${asked.problem.field === 'from' ? w.from : w.to}: ${w.badDay}`;
      return reply.code(400).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(`${said}\n`);
    }
    const { period } = asked;
    const { lines } = await loadFeedbackReport(deps.store, period, ctx.t.lang);
    return reply
      .code(200)
      .headers({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="feedback-${period.fromDay}-to-${period.toDay}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      })
      .send(feedbackCsv(period, lines, { bom: true }));
  });
}
