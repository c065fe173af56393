import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Category } from '../../config/gazetteer.ts';
import type { Ticket, TicketStatus } from '../../model/index.ts';
import type { ConnectorContext } from '../connector.ts';
import type { IntakeSource } from './config.ts';
import { envelopeMessage, phoneOf, type Envelope } from './parse.ts';
import { waitForTicket } from './signed-route.ts';
import { sameKey } from './verify.ts';
import { publicLink } from '../../attachments/link-check.ts';

export const OPEN311_BASE = '/open311/v2';

// what an Open311 client is told of each of our states: open or closed, and a public note (never staff's notes)
const PUBLIC_STATUS: Record<TicketStatus, { status: 'open' | 'closed'; notes: string }> = {
  received: { status: 'open', notes: 'received' },
  forwarded: { status: 'open', notes: 'forwarded to the department' },
  in_progress: { status: 'open', notes: 'work in progress' },
  reopened: { status: 'open', notes: 'reopened' },
  resolved: { status: 'closed', notes: 'resolved' },
  closed: { status: 'closed', notes: 'closed' },
  rejected: { status: 'closed', notes: 'not taken up' },
};

// the form fields a person fills in, checked as the intake envelope's are
const Open311Fields = z.object({
  description: z.string().max(10_000).optional(),
  address: z.string().max(500).optional(),
  email: z.email().max(254).optional(),
  first: z.string().max(100).optional(),
  last: z.string().max(100).optional(),
  media: z.url({ protocol: /^https?$/, error: 'must be an http(s) address' }).max(2000).optional(),
});
const OPEN311_NAMES: Record<string, string> = { first: 'first_name', last: 'last_name', media: 'media_url', address: 'address_string' };


type Fields = Record<string, unknown>;
/** one field as text: a form's string, or a JSON body's string or number; anything else is not given */
const one = (f: Fields, k: string): string | undefined => {
  const v = f[k];
  const first = Array.isArray(v) ? v[0] : v;
  const s = typeof first === 'string' ? first : typeof first === 'number' && Number.isFinite(first) ? String(first) : undefined;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

/** Open311's error shape: a list of {code, description} */
const fail = (reply: FastifyReply, code: number, description: string) => reply.status(code).send([{ code, description }]);

/** the ticket as an Open311 service request, public fields only: no name, contact, address or the citizen's words */
function publicRequest(t: Ticket, categories: readonly Category[]) {
  const category = categories.find((c) => c.id === t.category);
  const shown = PUBLIC_STATUS[t.status];
  return {
    service_request_id: t.ticketNo,
    status: shown.status,
    status_notes: shown.notes,
    service_code: t.category ?? null,
    service_name: category?.name.en ?? null,
    agency_responsible: t.department,
    requested_datetime: t.createdAt,
    updated_datetime: t.updatedAt,
    expected_datetime: t.slaDueAt,
  };
}

/**
 * Open311 GeoReport v2 (the standard FixMyStreet and SeeClickFix speak) over the intake API: services are our
 * categories; a request is filed as an envelope from the source whose key is its `api_key`; a request's status is
 * readable by id without personal data. JSON only (the .xml forms answer 400 saying so).
 */
export function mountOpen311(server: FastifyInstance, ctx: ConnectorContext, o: { sources: readonly IntakeSource[]; categories: readonly Category[]; now: () => Date }): void {
  server.get(`${OPEN311_BASE}/services.:format`, async (request, reply) => {
    if ((request.params as { format: string }).format !== 'json') return fail(reply, 400, 'only .json is served');
    return o.categories.map((c) => ({
      service_code: c.id,
      service_name: c.name.en,
      description: `${c.name.mr} / ${c.name.hi}`,
      metadata: false,
      type: 'realtime',
      keywords: c.keywords.en.slice(0, 8).join(', '),
      group: c.department,
    }));
  });

  server.post(`${OPEN311_BASE}/requests.:format`, async (request, reply) => {
    if ((request.params as { format: string }).format !== 'json') return fail(reply, 400, 'only .json is served');
    const f = (request.body ?? {}) as Fields;
    const source = o.sources.find((s) => sameKey(one(f, 'api_key'), s.key));
    if (!source) return fail(reply, 403, 'invalid api_key');
    const code = one(f, 'service_code');
    if (!code || !o.categories.some((c) => c.id === code)) return fail(reply, 400, `service_code ${code ? `"${code}" is not a service of services.json` : 'is required'}`);
    // a decimal number only (Number() would take 0x12 for 18)
    const decimal = (k: string) => (/^-?\d+(\.\d+)?$/.test(one(f, k) ?? '') ? Number(one(f, k)) : NaN);
    const lat = decimal('lat');
    const lon = decimal('long');
    const hasPin = one(f, 'lat') !== undefined && one(f, 'long') !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && Number.isFinite(lat) && Number.isFinite(lon);
    const address = one(f, 'address_string');
    if (!hasPin && !address) return fail(reply, 400, 'lat and long, or address_string, are required');
    const fields = Open311Fields.safeParse({ description: one(f, 'description'), email: one(f, 'email'), first: one(f, 'first_name'), last: one(f, 'last_name'), media: one(f, 'media_url'), address });
    if (!fields.success) return fail(reply, 400, fields.error.issues.map((i) => `${OPEN311_NAMES[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
    const { description, media } = fields.data;
    const phone = phoneOf(one(f, 'phone'));
    if ('error' in phone) return fail(reply, 400, `phone: ${phone.error}`);
    const name = [fields.data.first, fields.data.last].filter(Boolean).join(' ');
    // Open311 has no client id: the same request posted twice is one ticket
    const externalId = `open311:${createHash('sha256').update(request.rawBody ?? JSON.stringify(f)).digest('hex').slice(0, 40)}`;
    const text = [description, address].filter(Boolean).join('\n') || (o.categories.find((c) => c.id === code)?.name.en ?? code);
    const { api_key: _key, ...kept } = f;
    // the request as the intake API's envelope: one message shape for both (the sender claimed, as for any api source)
    const envelope: Envelope = {
      externalId,
      sender: { ...(name ? { name } : {}), ...(fields.data.email ? { email: fields.data.email } : {}) },
      text,
      attachments: [],
      ...(hasPin ? { location: { lat, lon, ...(address ? { label: address } : {}) } } : {}),
      category: code,
    };
    const message = envelopeMessage(envelope, { channel: source.channel, sourceId: source.id, ...phone, attachments: media ? [publicLink({ kind: 'image', url: media })] : [], raw: { open311: kept }, now: o.now() });
    try {
      await ctx.intake.accept([message]);
    } catch (err) {
      request.log.error({ err }, 'open311: archiving failed, answering 503');
      return fail(reply, 503, 'could not store the request, try again');
    }
    // the request's id is the ticket number; a request filed too slowly for the answer gets a token to look it up by
    const ticket = await waitForTicket(ctx.store, message);
    return reply.status(201).send([ticket ? { service_request_id: ticket.ticketNo, service_notice: `expected by ${ticket.slaDueAt}`, account_id: null } : { token: externalId }]);
  });

  server.get(`${OPEN311_BASE}/tokens/:token`, async (request, reply) => {
    const token = (request.params as { token: string }).token.replace(/\.json$/, '');
    const found = await Promise.all(o.sources.map((s) => ctx.store.findTicketBySource({ channel: s.channel, accountId: s.id, externalId: token })));
    const ticket = found.find(Boolean);
    return ticket ? [{ token, service_request_id: ticket.ticketNo }] : fail(reply, 404, 'no request has this token (yet)');
  });

  server.get(`${OPEN311_BASE}/requests/:id`, async (request, reply) => {
    const raw = (request.params as { id: string }).id;
    if (!raw.endsWith('.json')) return fail(reply, 400, 'only .json is served');
    const ticket = await ctx.store.getTicket(raw.slice(0, -5));
    // requests made through Open311 only: ticket numbers are sequential, and other channels' tickets are not its to list
    const viaOpen311 = ticket?.sources.some((s) => o.sources.some((src) => src.channel === s.channel && src.id === s.accountId));
    return ticket && viaOpen311 ? [publicRequest(ticket, o.categories)] : fail(reply, 404, 'no such service request');
  });
}
