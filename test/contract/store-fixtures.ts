import type { Contact, InboundMessage, OutboundMessage } from '../../src/model/index.ts';
import type { TicketDraft } from '../../src/store/store.ts';

/** Every store under the contract is opened with these, so ticket numbers can be checked exactly. */
export const CONTRACT_TICKET_PREFIX = 'PMC';
export const CONTRACT_FIRST_TICKET_NUMBER = 100001;

export const TEXTS = {
  mr: 'माझ्या भागात तीन दिवसांपासून कचरा उचलला गेला नाही',
  hi: 'हमारी गली में पानी नहीं आ रहा है',
  en: 'Streetlight not working near Kothrud depot',
  emoji: 'खड्डा 🕳️🚧 pothole 👍🏽 — “quotes” ✓',
} as const;

let seq = 0;
/** unique per call, so tests never collide with each other's rows */
export function uid(label = 'id'): string {
  seq += 1;
  return `${label}-${Date.now().toString(36)}-${seq}`;
}

export function inbound(over: Partial<InboundMessage> = {}): InboundMessage {
  return {
    channel: 'sms',
    accountId: '+912025501000',
    externalId: uid('SM'),
    threadKey: '+919876543210',
    sender: { id: '+919876543210', phone: '+919876543210' },
    receivedAt: '2025-01-15T10:20:30.000Z',
    text: TEXTS.en,
    attachments: [],
    raw: { Body: TEXTS.en, From: '+919876543210' },
    ...over,
  };
}

export function outbound(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    channel: 'sms',
    accountId: '+912025501000',
    threadKey: '+919876543210',
    to: '+919876543210',
    text: 'तुमची तक्रार PMC100001 नोंदवली आहे',
    language: 'mr',
    kind: 'ack',
    ticketNo: 'PMC100001',
    idempotencyKey: uid('ack'),
    ...over,
  };
}

export function draft(contact: Contact, over: Partial<TicketDraft> = {}): TicketDraft {
  return {
    source: { channel: 'sms', accountId: '+912025501000', externalId: uid('SM') },
    contact,
    language: 'mr',
    description: { original: TEXTS.mr, normalized: TEXTS.mr },
    category: 'garbage',
    department: 'solid-waste',
    ward: 'kothrud',
    location: { lat: 18.5074, lon: 73.8077, label: 'Kothrud depot' },
    attachments: [{ kind: 'image', mime: 'image/jpeg', size: 2048, url: 'https://example.test/a.jpg' }],
    slaDueAt: '2025-01-18T10:20:30.000Z',
    by: 'bridge',
    ...over,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** the digits after the prefix, as a number */
export function numberOf(ticketNo: string): number {
  return Number(ticketNo.slice(CONTRACT_TICKET_PREFIX.length));
}
