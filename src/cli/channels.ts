import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import { readKept, type AccountHealth } from '../pipeline/channel-health.ts';
import { printJson, printTable } from './output.ts';
import { withStore } from './with-store.ts';

/** The accounts the configuration names, so that one never heard from is listed too. */
function configuredAccounts(config: Readonly<Config>): { channel: string; accountId: string }[] {
  const c = config.channels;
  return [
    ...(c.sms.twilio ? [{ channel: 'sms', accountId: c.sms.twilio.from }] : []),
    ...(c.facebook.secrets?.pages ?? []).map((p) => ({ channel: 'facebook', accountId: p.id })),
    ...(c.twitter.secrets?.accounts ?? []).map((a) => ({ channel: 'twitter', accountId: a.id })),
  ];
}

export function registerChannels(program: Command): void {
  program
    .command('channels')
    .description("each channel account's health: last success, last error, refused credentials and what to do")
    .option('--json', 'one JSON array')
    .action(async (opts: { json?: boolean }) => {
      const { config } = loadConfig();
      await withStore(async (store) => {
        const kept = await readKept(store);
        const rows: AccountHealth[] = [...kept.values()];
        for (const a of configuredAccounts(config))
          if (!kept.has(`${a.channel}:${a.accountId}`)) rows.push({ channel: a.channel as AccountHealth['channel'], accountId: a.accountId, state: 'ok', authFailures: 0 });
        rows.sort((x, y) => `${x.channel}:${x.accountId}`.localeCompare(`${y.channel}:${y.accountId}`));
        if (opts.json) return printJson(rows);
        const at = (s?: string) => (s ? s.slice(0, 19).replace('T', ' ') : '—');
        printTable(
          ['channel', 'account', 'state', 'last ok', 'last error', 'refusals', 'to do'],
          rows.map((h) => [h.channel, h.accountId, h.lastSuccessAt || h.lastErrorAt ? h.state : 'not heard from yet', at(h.lastSuccessAt), h.lastError ? `${at(h.lastErrorAt)} ${h.lastError}` : '—', String(h.authFailures), h.action ?? '—']),
          90,
        );
      });
    });
}
