import { FONT_FACE } from '../font.ts';
export type LoginLanguage = 'mr' | 'en';

const TEXT = {
  mr: {
    title: 'कर्मचारी प्रवेश',
    org: 'पुणे महानगरपालिका',
    username: 'वापरकर्ता नाव',
    password: 'पासवर्ड',
    submit: 'प्रवेश करा',
    wrong: 'वापरकर्ता नाव किंवा पासवर्ड चुकीचा आहे.',
    throttled: (minutes: number) => `खूप चुकीचे प्रयत्न झाले. ${minutes} मिनिटांनी पुन्हा प्रयत्न करा.`,
    other: { lang: 'en', label: 'English' },
  },
  en: {
    title: 'Staff sign-in',
    org: 'Pune Municipal Corporation',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'Wrong username or password.',
    throttled: (minutes: number) => `Too many wrong attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    other: { lang: 'mr', label: 'मराठी' },
  },
} as const;

export interface LoginPageOptions {
  lang: LoginLanguage;
  /** the last attempt was wrong */
  wrong?: boolean;
  /** too many wrong attempts: how long to wait */
  retryAfterSeconds?: number;
  /** where to go after signing in (already checked to be an /admin path) */
  next?: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The sign-in form: one small page, no script, no outside assets, readable on a phone. */
export function renderLoginPage(o: LoginPageOptions): string {
  const t = TEXT[o.lang];
  const switchQuery = new URLSearchParams({ lang: t.other.lang, ...(o.next ? { next: o.next } : {}) });
  const problem = o.retryAfterSeconds !== undefined ? t.throttled(Math.ceil(o.retryAfterSeconds / 60)) : o.wrong ? t.wrong : undefined;
  return `<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(t.title)} · ${escapeHtml(t.org)}</title>
<style>
${FONT_FACE}
body{margin:0;font-family:system-ui,"Noto Sans Devanagari",sans-serif;background:#f3f4f6;color:#111}
main{max-width:22rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin:0 0 .25rem}p.org{margin:0 0 1.25rem;color:#555}
label{display:block;margin:.75rem 0 .25rem}input{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #999;border-radius:4px}
button{font-family:inherit;margin-top:1.25rem;width:100%;padding:.7rem;font-size:1rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff}
.problem{color:#b91c1c;margin:.5rem 0}nav{margin-top:1rem;text-align:right}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(t.title)}</h1>
<p class="org">${escapeHtml(t.org)}</p>
${problem ? `<p class="problem" role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="lang" value="${o.lang}">
${o.next ? `<input type="hidden" name="next" value="${escapeHtml(o.next)}">` : ''}
<label for="username">${escapeHtml(t.username)}</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64" required autofocus>
<label for="password">${escapeHtml(t.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="1024" required>
<button type="submit">${escapeHtml(t.submit)}</button>
</form>
<nav><a href="/admin/login?${escapeHtml(switchQuery.toString())}" lang="${t.other.lang}">${escapeHtml(t.other.label)}</a></nav>
</main>
</body>
</html>
`;
}
