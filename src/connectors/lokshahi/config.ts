import { ConfigError } from '../../config/config-error.ts';
import type { Config } from '../../config/schema.ts';
import { DEFAULT_COLUMNS, mergeColumns, type ColumnMap } from './columns.ts';

/** Everything the Lokshahi connector and the register import need, from the loaded config. */
export interface LokshahiOptions {
  /** the account id of its applications (what a mapping's accountId matches) */
  accountId: string;
  /** LOKSHAHI_SECRET: the webhook is on only with it */
  secret?: string;
  /** register headers: the built-in Marathi and English ones, with staff's own added */
  columns: ColumnMap;
  reportDir: string | null;
}

/** staff's header names over the built-in ones; a field name that is none of the application's stops the start */
function columnsOf(extra: ColumnMap): ColumnMap {
  try {
    return mergeColumns(DEFAULT_COLUMNS, extra);
  } catch (err) {
    throw new ConfigError(`channels.lokshahi.columns: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function lokshahiOptionsFromConfig(config: Readonly<Config>): LokshahiOptions {
  const l = config.channels.lokshahi;
  return {
    accountId: l.accountId,
    ...(l.secret ? { secret: l.secret } : {}),
    columns: columnsOf(l.columns),
    reportDir: l.reportDir,
  };
}

export const LOKSHAHI_WEBHOOK_PATH = '/webhooks/lokshahi';
