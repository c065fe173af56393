import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { FacebookSecrets, MailboxSecrets, XSecrets } from './schema.ts';

type Env = NodeJS.ProcessEnv;
type Plain = Record<string, unknown>;

const given = (env: Env, name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

function check<T>(schema: z.ZodType<T>, value: unknown, names: (path: (string | number)[]) => string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${names(i.path.filter((p): p is string | number => typeof p !== 'symbol'))}: ${i.message}`).join('; '));
}

/**
 * The Facebook app (FACEBOOK_APP_SECRET, FACEBOOK_VERIFY_TOKEN) and its pages: the default one from
 * FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN, more from `channels.facebook.pages` (each token in the variable it
 * names). None of it set: Facebook is off. Part of it: a ConfigError naming what is missing.
 */
export function facebookFromEnv(env: Env, file: Plain): FacebookSecrets | undefined {
  const more = Array.isArray(file.pages) ? (file.pages as Plain[]) : [];
  const names = ['FACEBOOK_APP_SECRET', 'FACEBOOK_VERIFY_TOKEN', 'FACEBOOK_PAGE_ID', 'FACEBOOK_PAGE_TOKEN'];
  const set = names.filter((n) => given(env, n));
  if (set.length === 0 && more.length === 0) return undefined;
  const app = names.slice(0, 2).filter((n) => !given(env, n));
  if (app.length > 0) throw new ConfigError(`${app.join(', ')} not set: Facebook needs the app's secret and the webhook's verify token`);
  const pageId = given(env, 'FACEBOOK_PAGE_ID');
  const pageToken = given(env, 'FACEBOOK_PAGE_TOKEN');
  if (!pageId !== !pageToken) throw new ConfigError(`${pageId ? 'FACEBOOK_PAGE_TOKEN' : 'FACEBOOK_PAGE_ID'} not set: the default page needs both FACEBOOK_PAGE_ID and FACEBOOK_PAGE_TOKEN`);
  const pages: Plain[] = pageId ? [{ id: pageId, token: pageToken, humanAgentTag: file.humanAgentTag === true }] : [];
  for (const p of more) {
    const tokenEnv = typeof p.tokenEnv === 'string' ? p.tokenEnv : '';
    const token = given(env, tokenEnv);
    if (!token) throw new ConfigError(`channels.facebook.pages: page ${String(p.id)} takes its token from ${tokenEnv || '(tokenEnv not set)'}, which is not set`);
    pages.push({ id: p.id, token, humanAgentTag: p.humanAgentTag === true });
  }
  const value = { appSecret: env.FACEBOOK_APP_SECRET, verifyToken: env.FACEBOOK_VERIFY_TOKEN, graphBase: given(env, 'FACEBOOK_GRAPH_BASE'), pages };
  const envOf: Record<string, string> = { appSecret: 'FACEBOOK_APP_SECRET', verifyToken: 'FACEBOOK_VERIFY_TOKEN', graphBase: 'FACEBOOK_GRAPH_BASE' };
  return check(FacebookSecrets, value, (path) => {
    if (path[0] !== 'pages') return envOf[String(path[0])] ?? path.join('.');
    const i = Number(path[1]);
    const fromDefault = pageId !== undefined && i === 0;
    const field = path[2] === 'token' ? (fromDefault ? 'FACEBOOK_PAGE_TOKEN' : String(more[i - (pageId ? 1 : 0)]?.tokenEnv)) : fromDefault ? 'FACEBOOK_PAGE_ID' : `channels.facebook.pages[${i - (pageId ? 1 : 0)}].id`;
    return field;
  });
}

const X_PARTS = { appKey: 'API_KEY', appSecret: 'API_SECRET', accessToken: 'ACCESS_TOKEN', accessSecret: 'ACCESS_SECRET' } as const;

/**
 * The X accounts: the default one from X_ACCOUNT_ID and X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET;
 * more from `channels.twitter.accounts` (`envPrefix` X_WARD5 reads X_WARD5_API_KEY …). X_BEARER_TOKEN (optional)
 * reads mentions with the app's own, larger rate limit; X_WEBHOOK_SECRET (optional) turns the Account Activity
 * webhook on.
 */
export function xFromEnv(env: Env, file: Plain): XSecrets | undefined {
  const more = Array.isArray(file.accounts) ? (file.accounts as Plain[]) : [];
  const defaults = ['X_ACCOUNT_ID', ...Object.values(X_PARTS).map((p) => `X_${p}`)];
  const set = defaults.filter((n) => given(env, n));
  if (set.length === 0 && more.length === 0) return undefined;
  if (set.length > 0 && set.length < defaults.length)
    throw new ConfigError(`${defaults.filter((n) => !given(env, n)).join(', ')} not set: the default X account needs all of ${defaults.join(', ')}`);
  const accountOf = (id: unknown, prefix: string): Plain => ({
    id,
    ...Object.fromEntries(Object.entries(X_PARTS).map(([key, part]) => [key, given(env, `${prefix}_${part}`)])),
  });
  const accounts = [...(set.length ? [accountOf(env.X_ACCOUNT_ID, 'X')] : []), ...more.map((a) => accountOf(a.id, String(a.envPrefix)))];
  const prefixes = [...(set.length ? ['X'] : []), ...more.map((a) => String(a.envPrefix))];
  const value = { bearerToken: given(env, 'X_BEARER_TOKEN'), webhookSecret: given(env, 'X_WEBHOOK_SECRET'), apiBase: given(env, 'X_API_BASE'), accounts };
  const envOf: Record<string, string> = { bearerToken: 'X_BEARER_TOKEN', webhookSecret: 'X_WEBHOOK_SECRET', apiBase: 'X_API_BASE' };
  return check(XSecrets, value, (path) => {
    if (path[0] !== 'accounts') return envOf[String(path[0])] ?? path.join('.');
    const prefix = prefixes[Number(path[1])] ?? 'X';
    const key = String(path[2]) as keyof typeof X_PARTS | 'id';
    return key === 'id' ? (prefix === 'X' ? 'X_ACCOUNT_ID' : `channels.twitter.accounts[${Number(path[1]) - (set.length ? 1 : 0)}].id`) : `${prefix}_${X_PARTS[key]}`;
  });
}

/** what a mailbox's variables are called: IMAP_URL for the default, WATER_IMAP_URL for prefix WATER */
export const mailEnv = (prefix: string, part: 'IMAP_URL' | 'SMTP_URL' | 'MAIL_FROM'): string => (prefix ? `${prefix}_${part}` : part);

/** the address in "Name <address>" or a bare address, lower-cased; undefined when there is none */
export function addressOf(from: string): string | undefined {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from) ?? /^\s*([^\s<>]+@[^\s<>]+)\s*$/.exec(from);
  return m?.[1]?.toLowerCase();
}

/**
 * The mailboxes: the default one from IMAP_URL, SMTP_URL and MAIL_FROM; more from `channels.email.mailboxes`
 * (`envPrefix` WATER reads WATER_IMAP_URL, WATER_SMTP_URL, WATER_MAIL_FROM). None set: email is off. A mailbox with
 * some of its three variables set: a ConfigError naming the missing ones.
 */
export function emailFromEnv(env: Env, file: Plain): { mailboxes: Plain[]; skipped: string[] } | undefined {
  const more = Array.isArray(file.mailboxes) ? (file.mailboxes as Plain[]) : [];
  const parts = ['IMAP_URL', 'SMTP_URL', 'MAIL_FROM'] as const;
  const defaultSet = parts.some((p) => given(env, p));
  if (!defaultSet && more.length === 0) return undefined;
  const prefixOf = (m: Plain) => (typeof m.envPrefix === 'string' ? m.envPrefix : '');
  // a mailbox of the config none of whose variables is set is off (and said so); one set in part is a mistake
  const unset = (m: Plain) => parts.every((p) => !given(env, mailEnv(prefixOf(m), p)));
  const skipped = more.filter(unset).map((m) => `${prefixOf(m)} (${parts.map((p) => mailEnv(prefixOf(m), p)).join(', ')} not set)`);
  const wanted = [...(defaultSet ? [{ envPrefix: '' } as Plain] : []), ...more.filter((m) => !unset(m))];
  const mailboxes = wanted.map((m) => {
    const prefix = prefixOf(m);
    const missing = parts.map((p) => mailEnv(prefix, p)).filter((n) => !given(env, n));
    if (missing.length > 0) throw new ConfigError(`${missing.join(', ')} not set: a mailbox needs ${parts.map((p) => mailEnv(prefix, p)).join(', ')}`);
    for (const part of ['IMAP_URL', 'SMTP_URL'] as const) {
      // a # ? / or a bare % in the password breaks the URL: said without echoing it (it holds the password)
      try {
        new URL(env[mailEnv(prefix, part)]!);
      } catch {
        throw new ConfigError(`${mailEnv(prefix, part)} is not a URL: write ${part === 'IMAP_URL' ? 'imap' : 'smtp'}s://user:password@host:port, with every character of the user and password other than letters, digits and - . _ ~ written %XX (@ is %40, : is %3A, # is %23, / is %2F, % is %25)`);
      }
    }
    const from = env[mailEnv(prefix, 'MAIL_FROM')]!;
    const id = addressOf(from);
    if (!id) throw new ConfigError(`${mailEnv(prefix, 'MAIL_FROM')}: "${from}" holds no address (write "PMC तक्रार <complaints@pmc.gov.in>" or the bare address)`);
    return {
      id,
      envPrefix: prefix,
      imapUrl: env[mailEnv(prefix, 'IMAP_URL')],
      smtpUrl: env[mailEnv(prefix, 'SMTP_URL')],
      from,
      folder: typeof m.folder === 'string' ? m.folder : file.folder,
      moveTo: m.moveTo !== undefined ? m.moveTo : (file.moveTo ?? null),
    };
  });
  const ids = mailboxes.map((m) => m.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new ConfigError(`two mailboxes send from ${twice}: each mailbox needs its own MAIL_FROM address (it is the mailbox's account id)`);
  return check(z.object({ mailboxes: z.array(MailboxSecrets), skipped: z.array(z.string()) }), { mailboxes, skipped }, (path) => {
    const m = mailboxes[Number(path[1])];
    const field = { imapUrl: 'IMAP_URL', smtpUrl: 'SMTP_URL', from: 'MAIL_FROM', id: 'MAIL_FROM' }[String(path[2])];
    return field ? mailEnv(m?.envPrefix ?? '', field as 'IMAP_URL') : `channels.email.${path.join('.')}`;
  });
}

/** The keys of the intake API's sources, each from the variable its config names; a source without one is off. */
export function intakeFromEnv(env: Env, file: Plain): Plain[] {
  const sources = Array.isArray(file.sources) ? (file.sources as Plain[]) : [];
  return sources.flatMap((s) => {
    const key = typeof s.keyEnv === 'string' ? given(env, s.keyEnv) : undefined;
    if (key === undefined) return [];
    if (key.length < 16) throw new ConfigError(`${String(s.keyEnv)}: the key of intake source ${String(s.id)} must be at least 16 characters`);
    return [{ id: s.id, key }];
  });
}
