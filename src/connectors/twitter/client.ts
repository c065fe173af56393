import { ApiRequestError, ApiResponseError, TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { XAccount } from './config.ts';

const X_ORIGIN = 'https://api.x.com/';

/**
 * The SDK has neither a base-URL setting nor a default time-out: a plugin gives every request both (the base only
 * for tests and staging). An https base is trusted like any other (NODE_EXTRA_CA_CERTS for a private CA).
 */
function settings(apiBase: string | undefined, timeoutMs: number): { plugins: ITwitterApiClientPlugin[] } {
  const base = apiBase ? apiBase.replace(/\/+$/, '') + '/' : undefined;
  return {
    plugins: [
      {
        onBeforeRequestConfig: ({ params }) => {
          if (base && params.url.startsWith(X_ORIGIN)) params.url = base + params.url.slice(X_ORIGIN.length);
          params.timeout ??= timeoutMs;
        },
      },
    ],
  };
}

/** the account's own client (OAuth 1.0a user context): DMs, replies, and mentions when there is no bearer token */
export function accountClient(a: XAccount, o: { apiBase?: string | undefined; timeoutMs: number }): TwitterApi {
  return new TwitterApi({ appKey: a.appKey, appSecret: a.appSecret, accessToken: a.accessToken, accessSecret: a.accessSecret }, settings(o.apiBase, o.timeoutMs));
}

/** the app's client (bearer): reads mentions with the app's rate limit, separate from the account's */
export function appClient(bearerToken: string, o: { apiBase?: string | undefined; timeoutMs: number }): TwitterApi {
  return new TwitterApi(bearerToken, settings(o.apiBase, o.timeoutMs));
}

/** What a failed X call said, without the request (its headers carry the OAuth signature). */
export interface XFailure {
  /** null: no answer came (a reset, a time-out): the request may have been carried out */
  status: number | null;
  detail: string;
  /** a rate limit's reset (x-rate-limit-reset) */
  resetAt?: Date;
  auth: boolean;
}

export function xFailure(err: unknown): XFailure {
  if (err instanceof ApiResponseError) {
    const data = err.data as { detail?: unknown; title?: unknown; errors?: { message?: unknown }[] } | undefined;
    const detail = [data?.detail, data?.title, data?.errors?.[0]?.message].find((d): d is string => typeof d === 'string') ?? err.message;
    const reset = err.rateLimit?.reset;
    return {
      status: err.code,
      detail: detail.slice(0, 300),
      ...(err.code === 429 && reset ? { resetAt: new Date(reset * 1000) } : {}),
      auth: err.code === 401 || err.isAuthError,
    };
  }
  if (err instanceof ApiRequestError) return { status: null, detail: 'no answer from X (a reset or a time-out)', auth: false };
  return { status: null, detail: err instanceof Error ? err.message : String(err), auth: false };
}

export const describeX = (f: XFailure): string => `X ${f.status ?? 'gave no answer'}: ${f.detail}`;
