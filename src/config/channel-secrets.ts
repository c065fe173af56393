import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { FacebookSecrets, XSecrets } from './schema.ts';

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
