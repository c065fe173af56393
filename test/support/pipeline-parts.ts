import type { ChannelLimits, Connector } from '../../src/connectors/connector.ts';
import type { InboundMessage, OutboundMessage, SourceRef } from '../../src/model/index.ts';

/** our SMS number in unit tests: synthetic */
export const OUR_NUMBER = '+912066000000';

export const COMPLAINT = {
  mr: 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही, कोथरूड',
  hi: 'हमारी गली में दो दिन से पानी नहीं आ रहा है',
  en: 'Streetlight not working near Karve Road bus stop for a week',
} as const;

let seq = 0;
/** an inbound SMS envelope from a new synthetic citizen each call */
export function citizenSms(text: string, over: Partial<InboundMessage> = {}): InboundMessage {
  seq++;
  const phone = `+91982${String(seq).padStart(7, '0')}`;
  return {
    channel: 'sms',
    accountId: OUR_NUMBER,
    externalId: `SM${seq.toString(16).padStart(32, '0')}`,
    threadKey: phone,
    sender: { id: phone, phone },
    receivedAt: new Date().toISOString(),
    text,
    attachments: [],
    raw: { Body: text, From: phone },
    ...over,
  };
}

export const sourceOf = (m: InboundMessage): SourceRef => ({ channel: m.channel, accountId: m.accountId, externalId: m.externalId });

export interface RecordingConnector {
  connector: Connector;
  /** what was sent successfully, in order */
  sent: OutboundMessage[];
  /** how many times send was called */
  attempts(): number;
}

/**
 * A Connector for channel 'sms' (our own port) that records what the pipeline sends. `behave` runs on every
 * attempt before it succeeds: throw from it to fail that attempt, await in it to make the send slow.
 */
export function recordingSmsConnector(
  behave?: (message: OutboundMessage, attempt: number) => Promise<void>,
  limits: ChannelLimits = { maxSegments: 2 },
): RecordingConnector {
  const sent: OutboundMessage[] = [];
  let attempts = 0;
  const connector: Connector = {
    channel: 'sms',
    accountIds: [OUR_NUMBER],
    limits,
    async send(message) {
      attempts++;
      await behave?.(message, attempts);
      sent.push(message);
      return { providerId: `SM-sent-${sent.length}` };
    },
    // as a provider would: what it has is what was sent (even when the answer to the sender was lost)
    resend: {
      kind: 'lookup',
      findSent: async (message) => {
        const i = sent.findIndex((m) => m.idempotencyKey === message.idempotencyKey);
        return i < 0 ? undefined : { providerId: `SM-sent-${i + 1}` };
      },
    },
  };
  return { connector, sent, attempts: () => attempts };
}
