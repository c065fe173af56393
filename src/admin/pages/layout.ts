import { mayRead, type Area } from '../permissions.ts';
import { FONT_FACE } from '../font.ts';
import { Html, html } from './html.ts';
import type { PageCtx } from './page-context.ts';
import { REPORT_WORDS } from './report-words.ts';
import { CAMPAIGN_WORDS } from './campaign-words.ts';
import type { Words } from './words-en.ts';

const NAV: readonly { href: string; area: Area; label: (t: Words) => string }[] = [
  { href: '/admin/tickets', area: 'tickets', label: (t) => t.nav.tickets },
  { href: '/admin/mappings', area: 'mapping', label: (t) => t.nav.mappings },
  { href: '/admin/rules', area: 'rule', label: (t) => t.nav.rules },
  { href: '/admin/sla', area: 'sla', label: (t) => t.nav.sla },
  { href: '/admin/texts', area: 'text', label: (t) => t.nav.texts },
  { href: '/admin/channels', area: 'channels', label: (t) => t.nav.channels },
  { href: '/admin/dead-letters', area: 'dead-letters', label: (t) => t.nav.deadLetters },
  { href: '/admin/audit', area: 'audit', label: (t) => t.nav.audit },
  { href: '/admin/reports/feedback', area: 'reports', label: (t) => REPORT_WORDS[t.lang].nav },
  { href: '/admin/campaigns', area: 'campaigns', label: (t) => CAMPAIGN_WORDS[t.lang].nav },
  { href: '/admin/users', area: 'user', label: (t) => t.nav.users },
];

// the sign-in page's look, grown for lists and forms; tables turn into cards on a phone
const STYLE = `
${FONT_FACE}
body{margin:0;font-family:system-ui,"Noto Sans Devanagari",sans-serif;background:#f3f4f6;color:#111;line-height:1.4}
header{background:#1d4ed8;color:#fff;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
header a,header button{color:#fff}header .who{margin-left:auto;font-size:.9rem}
header form{display:inline}header button{background:none;border:1px solid #fff8;border-radius:4px;padding:.2rem .5rem;font-size:.9rem}
nav.main{background:#fff;border-bottom:1px solid #ddd;padding:.25rem .5rem;display:flex;flex-wrap:wrap;gap:.25rem}
nav.main a{padding:.35rem .5rem;border-radius:4px;text-decoration:none;color:#1d4ed8}nav.main a[aria-current]{background:#dbeafe;font-weight:600}
main{max-width:64rem;margin:1rem auto;padding:0 .75rem}
section,.card{background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002;padding:1rem;margin:0 0 1rem}
h1{font-size:1.3rem;margin:.25rem 0 1rem}h2{font-size:1.1rem;margin:0 0 .75rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{font-size:.85rem;color:#555}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}.hint{color:#555;font-size:.85rem;margin:.1rem 0}
button{font-family:inherit}
input,select,textarea{box-sizing:border-box;width:100%;padding:.5rem;font-size:1rem;border:1px solid #999;border-radius:4px;font-family:inherit}
input[type=checkbox]{width:auto;margin-right:.35rem}input:not([type=checkbox]),select,main button{min-height:2.75rem}textarea{min-height:5rem}
.checks{display:flex;flex-wrap:wrap;gap:.25rem .9rem}.checks label{font-weight:400;margin:.2rem 0}
fieldset{border:1px solid #ddd;border-radius:6px;margin:.75rem 0;padding:.25rem .75rem .75rem}legend{font-weight:600}
button{padding:.55rem 1rem;font-size:1rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;margin-top:.75rem;cursor:pointer}
button.quiet{background:#e5e7eb;color:#111;margin:0;padding:.3rem .6rem;font-size:.9rem}
td form{display:inline}
.problem{color:#b91c1c;margin:.2rem 0}.flash{padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem}
.flash.ok{background:#dcfce7;color:#14532d}.flash.error{background:#fee2e2;color:#7f1d1d}
[aria-invalid=true]{border-color:#b91c1c}
.counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:0 0 1rem;padding:0;list-style:none}
.counts a{display:block;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002;padding:.5rem .75rem;text-decoration:none;color:#111;min-width:5.5rem}
.counts b{display:block;font-size:1.4rem}.counts a[aria-current]{outline:2px solid #1d4ed8}
.badge{display:inline-block;padding:0 .4rem;border-radius:999px;background:#e5e7eb;font-size:.85rem}.badge.urgent{background:#fee2e2;color:#7f1d1d}
.late{color:#b91c1c;font-weight:600}.pre{white-space:pre-wrap;overflow-wrap:anywhere}.json{font-family:monospace;font-size:.8rem;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.3rem .75rem;margin:0}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}.filters>*{flex:1 1 10rem}.filters button{flex:0 0 auto}
.paging{display:flex;justify-content:space-between;margin:.75rem 0}
@media (max-width:40rem){
table.cards thead{display:none}table.cards tr{display:block;border-bottom:1px solid #ddd;padding:.4rem 0}
table.cards td{display:block;border:0;padding:.1rem 0}table.cards td[data-label]::before{content:attr(data-label) ": ";color:#555}
dl{grid-template-columns:1fr}dt{margin-top:.4rem}
}`;

export interface LayoutOptions {
  title: string;
  body: Html;
  /** the GET address of this page, for the language link (a form's answer is shown at its action) */
  self?: string;
}

function switchLink(ctx: PageCtx, self: string): string {
  const url = new URL(self, 'http://admin.invalid');
  url.searchParams.delete('ok');
  url.searchParams.delete('error');
  url.searchParams.set('lang', ctx.t.other.lang);
  return `${url.pathname}${url.search}`;
}

/** a success or error said by a code in the query (?ok=saved): never text taken from the address */
function flash(ctx: PageCtx): Html {
  // own keys only: ?ok=constructor is no message
  const said = (words: Record<string, string>, key: string | undefined) => (key !== undefined && Object.hasOwn(words, key) ? words[key] : undefined);
  const ok = said(ctx.t.ok, ctx.query.ok);
  const error = said(ctx.t.error, ctx.query.error);
  return html`${ok ? html`<p class="flash ok" role="status">${ok}</p>` : ''}${error ? html`<p class="flash error" role="alert">${error}</p>` : ''}`;
}

/** The page around every admin screen: who is signed in, the menu of what their role may open, the language link. */
export function layout(ctx: PageCtx, o: LayoutOptions): string {
  const { t } = ctx;
  const path = new URL(o.self ?? ctx.url, 'http://admin.invalid').pathname;
  const nav = NAV.filter((n) => mayRead(ctx.role, n.area)).map(
    (n) => html`<a href="${n.href}"${path === n.href || path.startsWith(`${n.href}/`) ? html` aria-current="page"` : ''}>${n.label(t)}</a>`,
  );
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} · ${t.app}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header><strong>${t.app}</strong><span class="who">${ctx.actor.user.name} · ${t.roles[ctx.role]}</span>
<a href="${switchLink(ctx, o.self ?? ctx.url)}" lang="${t.other.lang}">${t.other.label}</a>
${ctx.actor.kind === 'user' ? html`<form method="post" action="/admin/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">${t.nav.signOut}</button></form>` : ''}
</header>
<nav class="main">${nav}</nav>
<main>
${flash(ctx)}
${o.body}
</main>
</body>
</html>
`.markup;
}
