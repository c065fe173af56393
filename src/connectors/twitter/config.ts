import type { Config } from '../../config/schema.ts';

export interface XAccount {
  /** the account's numeric user id */
  id: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  accessSecret: string;
  /** where its keys came from (X for the default account), for the message that says what to renew */
  envPrefix: string;
}

/** Everything the X connector needs, already validated by the config loader. */
export interface XConnectorOptions {
  accounts: XAccount[];
  /** the app's bearer token: mentions are read with the app's own rate limit */
  bearerToken?: string;
  /** the Account Activity webhook is on (its CRC and signatures use this secret) */
  webhookSecret?: string;
  /** tests and staging only: the origin instead of https://api.x.com */
  apiBase?: string;
  requestTimeoutMs: number;
  pollMs: number;
  catchUpHours: number;
}

export function xOptionsFromConfig(config: Readonly<Config>): XConnectorOptions | { off: string } {
  const x = config.channels.twitter;
  if (!x.secrets) return { off: 'X_ACCOUNT_ID, X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN and X_ACCESS_SECRET are not set' };
  const prefixes = new Map(x.accounts.map((a) => [a.id, a.envPrefix]));
  return {
    accounts: x.secrets.accounts.map((a) => ({ ...a, envPrefix: prefixes.get(a.id) ?? 'X' })),
    ...(x.secrets.bearerToken ? { bearerToken: x.secrets.bearerToken } : {}),
    ...(x.secrets.webhookSecret ? { webhookSecret: x.secrets.webhookSecret } : {}),
    ...(x.secrets.apiBase ? { apiBase: x.secrets.apiBase } : {}),
    requestTimeoutMs: x.requestTimeoutMs,
    // with the webhook on, polling only catches up on what it missed
    pollMs: (x.secrets.webhookSecret ? x.catchUpPollSeconds : x.pollSeconds) * 1000,
    catchUpHours: x.catchUpHours,
  };
}

/** What a supervisor does when an account's keys stop working. */
export const renewKeys = (a: XAccount): string =>
  `renew the keys of X account ${a.id}: in the X developer portal (the app → Keys and tokens) regenerate the access token and secret with read, write and direct messages, set ${a.envPrefix}_ACCESS_TOKEN and ${a.envPrefix}_ACCESS_SECRET, restart the bridge`;
