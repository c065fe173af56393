// What routing sees of a message, whichever channel it came by: a mail's subject with its body (never its
// signature), so the same words route the same way by email and by SMS.
import { describe, expect, it } from 'vitest';
import { ChannelMapping, type Contact, type InboundMessage } from '../../src/model/index.ts';
import { prepareInbound } from '../../src/pipeline/process-inbound.ts';
import { categoryRules } from '../../src/router/category-rules.ts';
import { compileRouting, routeComplaint } from '../../src/router/route.ts';
import type { Routing } from '../../src/router/routing-table.ts';
import { loadRoutingSeed } from '../../src/config/routing-seed.ts';
import { join } from 'node:path';
import { SHIPPED } from '../support/bot-parts.ts';
import { citizenSms } from '../support/pipeline-parts.ts';

const seed = loadRoutingSeed(join(SHIPPED.dir, 'routing.yaml'));
const compiled = compileRouting({ rules: [...seed.rules, ...categoryRules(SHIPPED.gazetteer.categories)], slas: seed.sla });
const mapping = (channel: InboundMessage['channel']) => ChannelMapping.parse({ id: `${channel}-default`, channel, accountId: '*', department: 'call-centre', defaultLanguage: 'mr', replyPolicy: 'one-shot' });
const routing: Routing = { mappingFor: (channel) => mapping(channel), route: (m, facts) => routeComplaint(compiled, m, facts), calendar: () => undefined };
const contact: Contact = { id: 'c1', identities: [], createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z' } as unknown as Contact;

function drafted(message: InboundMessage) {
  const prepared = prepareInbound({ id: 1, message, state: 'pending', attempts: 0, nextAttemptAt: message.receivedAt, duplicates: 0, archivedAt: message.receivedAt }, {
    connectors: new Map(),
    routing,
    messages: SHIPPED.messages,
    normalize: SHIPPED.normalize,
    conversational: false,
    now: () => new Date(message.receivedAt),
  });
  if (!('decide' in prepared)) throw new Error('not filed');
  return prepared.decide(contact).ticket!;
}

describe('routing a mail', () => {
  it('reads the subject as the SMS path reads the text: "Dead dog near Baner" goes to health, urgently, either way', () => {
    const sms = drafted(citizenSms('Dead dog near Baner. Please remove it quickly.'));
    const mail = drafted({ ...citizenSms('Please remove it quickly.\n\n--\nRamesh Joshi\nPune 411005'), channel: 'email', accountId: 'complaints@pmc.test', subject: 'Dead dog near Baner', threadKey: 'mail-1', externalId: '<m1@example.org>' });
    for (const t of [sms, mail]) expect(t).toMatchObject({ department: 'HEALTH', priority: 'urgent', routing: { department: { ruleId: 'dead-animal' } } });
  });

  it('never takes a PIN code from the signature for where the problem is', () => {
    const pin = { id: 'pin-411005', name: '411005', order: 1, when: { pinCodes: ['411005'] }, then: { ward: 'shivajinagar-ghole-road' }, enabled: true };
    const withPin = compileRouting({ rules: [pin, ...categoryRules(SHIPPED.gazetteer.categories)], slas: [] });
    const r: Routing = { ...routing, route: (m, facts) => routeComplaint(withPin, m, facts) };
    const message: InboundMessage = { ...citizenSms('कचरा उचलला नाही\n\n--\nरमेश जोशी\nपुणे 411005'), channel: 'email', accountId: 'complaints@pmc.test', subject: 'कचरा', threadKey: 'mail-2', externalId: '<m2@example.org>' };
    const prepared = prepareInbound({ id: 2, message, state: 'pending', attempts: 0, nextAttemptAt: message.receivedAt, duplicates: 0, archivedAt: message.receivedAt }, { connectors: new Map(), routing: r, messages: SHIPPED.messages, normalize: SHIPPED.normalize, conversational: false, now: () => new Date() });
    if (!('decide' in prepared)) throw new Error('not filed');
    expect(prepared.decide(contact).ticket!.ward).toBeUndefined();
    // the same PIN code said in the complaint itself is where it is
    const said: InboundMessage = { ...message, text: 'कचरा उचलला नाही, पिन 411005', externalId: '<m3@example.org>' };
    const again = prepareInbound({ id: 3, message: said, state: 'pending', attempts: 0, nextAttemptAt: said.receivedAt, duplicates: 0, archivedAt: said.receivedAt }, { connectors: new Map(), routing: r, messages: SHIPPED.messages, normalize: SHIPPED.normalize, conversational: false, now: () => new Date() });
    if (!('decide' in again)) throw new Error('not filed');
    expect(again.decide(contact).ticket!.ward).toBe('shivajinagar-ghole-road');
  });
});
