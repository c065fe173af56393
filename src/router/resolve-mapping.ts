import type { Channel, ChannelMapping, Language } from '../model/index.ts';

export interface RoutingDefaults {
  department: string;
  language: Language;
  slaHours: number;
}

/** The account's own mapping, else the channel's '*' mapping, else the city-wide defaults. Disabled ones are skipped. */
export function resolveMapping(
  mappings: readonly ChannelMapping[],
  channel: Channel,
  accountId: string,
  defaults: RoutingDefaults,
): ChannelMapping {
  const enabled = mappings.filter((m) => m.enabled && m.channel === channel);
  return (
    enabled.find((m) => m.accountId === accountId) ??
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
