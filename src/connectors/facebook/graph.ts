import { createRequire } from 'node:module';
import bizSdk from 'facebook-nodejs-business-sdk';
import type { FacebookAdsApi as Api } from 'facebook-nodejs-business-sdk';

const { FacebookAdsApi, Page, Comment, PagePost } = bizSdk;
export { Page, Comment, PagePost };
export type GraphApi = Api;

const REAL_GRAPH = 'https://graph.facebook.com';

/**
 * One SDK api per page: its token, never the process-wide default (several pages, several tokens). Always
 * `init(token, locale, false)`: true would install the SDK's crash reporter, which posts our stack traces to Meta.
 */
export function pageApi(token: string): Api {
  const api = FacebookAdsApi.init(token, 'en_US', false);
  // init also makes it the default api; nothing here uses the default, so it does not matter whose it is
  return api;
}

/**
 * Points the SDK at another Graph origin (tests and staging). The SDK reads FacebookAdsApi.GRAPH for every call, and
 * it is process-wide: one base per process.
 */
export function useGraphBase(base: string | undefined): void {
  const origin = (base ?? REAL_GRAPH).replace(/\/+$/, '');
  Object.defineProperty(FacebookAdsApi, 'GRAPH', { get: () => origin, configurable: true });
}

export const graphBase = (): string => FacebookAdsApi.GRAPH;

interface RequestConfig {
  url?: string;
  timeout?: number;
}
interface AxiosInterceptors {
  interceptors: { request: { use(f: (c: RequestConfig) => RequestConfig): number; eject(id: number): void } };
}
// the very axios the SDK requires (axios has separate CommonJS and ESM builds, each with its own default instance)
const sdkAxios = createRequire(createRequire(import.meta.url).resolve('facebook-nodejs-business-sdk'))('axios') as AxiosInterceptors;

/**
 * The SDK calls Graph through axios' default instance with no time-out: a hung connection would hold a send (and
 * a shutdown) forever. This gives every request to Graph one; it returns the undo, for close().
 */
export function limitGraphRequests(timeoutMs: number): () => void {
  const axios = sdkAxios;
  const id = axios.interceptors.request.use((config) => {
    if (typeof config.url === 'string' && config.url.startsWith(graphBase())) config.timeout = timeoutMs;
    return config;
  });
  return () => axios.interceptors.request.eject(id);
}

/** What a failed Graph call said, with the token-bearing URL and request body left out. */
export interface GraphFailure {
  /** null: no answer came (a reset, a time-out): the request may have been carried out */
  status: number | null;
  code?: number;
  subcode?: number;
  message: string;
  transient: boolean;
  /** minutes Meta says the page must wait (X-Business-Use-Case-Usage estimated_time_to_regain_access) */
  waitMinutes?: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

/**
 * The SDK throws FacebookRequestError (not exported, so known by name) whose `url` holds the access token: it must
 * never reach a log. This keeps only what says what went wrong.
 */
export function graphFailure(err: unknown): GraphFailure {
  if (!isObj(err) || err.name !== 'FacebookRequestError') return { status: null, message: err instanceof Error ? err.message : String(err), transient: true };
  const body = isObj(err.response) ? err.response : {};
  const status = typeof err.status === 'number' ? err.status : null;
  const code = typeof body.code === 'number' ? body.code : undefined;
  const subcode = typeof body.error_subcode === 'number' ? body.error_subcode : undefined;
  const raw = typeof body.message === 'string' ? body.message : typeof err.message === 'string' ? err.message : 'Graph call failed';
  const waitMinutes = regainMinutes(err.headers);
  return {
    status,
    ...(code !== undefined ? { code } : {}),
    ...(subcode !== undefined ? { subcode } : {}),
    // Graph quotes tokens in some messages ("…access token … EAAB…"): cut anything token-shaped
    message: raw.replace(/EAA[A-Za-z0-9]{10,}/g, '[token]').slice(0, 300),
    transient: body.is_transient === true || (status !== null && status >= 500),
    ...(waitMinutes !== undefined ? { waitMinutes } : {}),
  };
}

/** the longest wait any business use case asks for, in minutes */
function regainMinutes(headers: unknown): number | undefined {
  if (!isObj(headers)) return undefined;
  const raw = typeof headers.get === 'function' ? (headers.get as (n: string) => unknown)('x-business-use-case-usage') : headers['x-business-use-case-usage'];
  if (typeof raw !== 'string') return undefined;
  try {
    const usage = JSON.parse(raw) as unknown;
    if (!isObj(usage)) return undefined;
    let most: number | undefined;
    for (const cases of Object.values(usage))
      for (const c of Array.isArray(cases) ? cases : [])
        if (isObj(c) && typeof c.estimated_time_to_regain_access === 'number') most = Math.max(most ?? 0, c.estimated_time_to_regain_access);
    return most;
  } catch {
    return undefined;
  }
}

/** Graph's rate-limit codes: the app's, the user's, the page's, and a call's own */
export const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80006]);
/** the token expired, was revoked, or its user changed their password */
export const isRefusedToken = (f: GraphFailure): boolean => f.code === 190 || f.code === 102;
