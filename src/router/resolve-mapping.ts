import type { Channel, ChannelMapping, Language } from '../model/index.ts';

export interface RoutingDefaults {
  department: string;
  language: Language;
  slaHours: number;
}

// a mailbox address and an X handle name one account however they are capitalised (Takrar@pmc.gov.in is
// takrar@pmc.gov.in); SMS numbers, page ids and source names are compared as written
const CASE_FREE: ReadonlySet<Channel> = new Set(['email', 'twitter']);

/** an account as mappings are matched on it: the same key is one account, for routing and for the overlap check */
export function accountKey(channel: Channel, accountId: string): string {
  return CASE_FREE.has(channel) ? accountId.toLowerCase() : accountId;
}

/** The account's own mapping, else the channel's '*' mapping, else the city-wide defaults. Disabled ones are skipped. */
export function resolveMapping(
  mappings: readonly ChannelMapping[],
  channel: Channel,
  accountId: string,
  defaults: RoutingDefaults,
): ChannelMapping {
  const enabled = mappings.filter((m) => m.enabled && m.channel === channel);
  const key = accountKey(channel, accountId);
  return (
    enabled.find((m) => accountKey(channel, m.accountId) === key) ??
    enabled.find((m) => m.accountId === '*') ?? {
      id: `default-${channel}`,
      channel,
      accountId: '*',
      department: defaults.department,
      defaultLanguage: defaults.language,
      replyPolicy: 'conversational',
      slaHours: defaults.slaHours,
      enabled: true,
    }
  );
}
