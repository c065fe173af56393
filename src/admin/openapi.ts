// The OpenAPI 3.1 document of the admin API, served at /admin/api/openapi.json, for whoever scripts the call
// centre's set-up. The record schemas are the zod schemas the API validates with, so the two cannot drift.
import { z } from 'zod';
import { Channel, Ticket } from '../model/index.ts';
import { RESOURCES } from './resources.ts';

const error = {
  type: 'object',
  properties: { error: { type: 'string' }, problems: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } },
};
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = {
  '400': { description: 'invalid: `problems` names each field at fault; nothing was saved', ...json(error) },
  '401': { description: 'no valid session or token', ...json(error) },
  '403': { description: 'the role may not do this, or a session request lacks its CSRF token', ...json(error) },
  '404': { description: 'no such record (or a ticket outside an officer\'s wards and departments)', ...json(error) },
  '409': { description: 'the record changed since it was read (If-Match), or it already exists', ...json(error) },
};
const page = (item: object) => ({ type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { item, version: { type: 'integer' } } } }, total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } } });
const paging = [
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0 } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
];

const deadRef = [{ name: 'kind', in: 'path', required: true, schema: { enum: ['inbound', 'outbound'] } }, { name: 'id', in: 'path', required: true, schema: { type: 'integer' } }];
const deadLetter = {
  type: 'object',
  properties: {
    kind: { enum: ['inbound', 'outbound'] }, id: { type: 'integer' }, channel: { enum: Channel.options }, error: { type: 'string' },
    attempts: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, summary: { type: 'string', description: 'channel/account/message id, or channel → kind of reply and ticket' },
  },
};

function schemaOf(s: z.ZodType): object {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as object;
}

function recordPaths(): Record<string, object> {
  const paths: Record<string, object> = {};
  for (const r of RESOURCES) {
    const ref = { $ref: `#/components/schemas/${r.kind}` };
    const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
    paths[`/admin/api/${r.path}`] = {
      get: { summary: `List ${r.path}`, parameters: [...paging, ...r.filters.map((f) => ({ name: f, in: 'query', schema: { type: 'string' } }))], responses: { '200': { description: 'a page', ...json(page(ref)) }, ...errors } },
      post: { summary: `Create one of ${r.path}`, requestBody: { required: true, ...json(ref) }, responses: { '201': { description: r.kind === 'token' ? 'created; `secret` is shown this once' : 'created', ...json({ type: 'object', properties: { item: ref, version: { type: 'integer' } } }) }, ...errors } },
    };
    paths[`/admin/api/${r.path}/{id}`] = {
      get: { summary: `One of ${r.path}`, parameters: [id], responses: { '200': { description: 'the record and its version', ...json({ type: 'object', properties: { item: ref, version: { type: 'integer' } } }) }, ...errors } },
      patch: {
        summary: `Edit one of ${r.path} (a merge patch: given fields replace, null removes)`,
        parameters: [id, { name: 'If-Match', in: 'header', schema: { type: 'string' }, description: 'the version you read' }],
        requestBody: { required: true, ...json({ type: 'object' }) },
        responses: { '200': { description: 'saved', ...json({ type: 'object' }) }, ...errors },
      },
      delete: { summary: `Delete one of ${r.path}`, parameters: [id], responses: { '204': { description: 'deleted' }, ...errors } },
    };
    paths[`/admin/api/${r.path}/{id}/disable`] = { post: { summary: r.kind === 'token' ? 'Revoke the token' : `Switch it off (kept, not used)`, parameters: [id], responses: { '200': { description: 'saved', ...json({ type: 'object' }) }, ...errors } } };
  }
  return paths;
}

export function adminOpenApi(): object {
  const ticketNo = { name: 'ticketNo', in: 'path', required: true, schema: { type: 'string', example: 'PMC10001' } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'PMC complaint bridge: administration API',
      version: '1',
      description:
        'Channel mappings, routing rules, SLA policies, departments, ward offices, reply texts, users, API tokens, tickets, dead letters, channel health and the audit. Machines send Authorization: Bearer <API token>; a browser session sends its cookie and, on every change, the x-csrf-token header (GET /admin/api/me gives it). Roles: admin (everything), supervisor (routing, texts, dead letters, tickets), officer (the tickets of their ward offices and departments). Every change is audited with before and after.',
    },
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'pmc_admin' } },
      schemas: { ...Object.fromEntries(RESOURCES.map((r) => [r.kind, schemaOf(r.schema)])), Ticket: schemaOf(Ticket) },
    },
    security: [{ token: [] }, { session: [] }],
    paths: {
      '/admin/api/me': { get: { summary: 'Who you are, and your session\'s CSRF token', responses: { '200': { description: 'you', ...json({ type: 'object' }) }, ...errors } } },
      '/admin/api/tickets': {
        get: {
          summary: 'The ticket queue (an officer sees their wards and departments only), with counts by status and overdue',
          parameters: [...paging, ...['status', 'ward', 'department', 'q'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), ...['unrouted', 'overdue'].map((name) => ({ name, in: 'query', schema: { type: 'boolean' } }))],
          responses: { '200': { description: 'a page of tickets', ...json({ type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Ticket' } }, total: { type: 'integer' }, counts: { type: 'object' } } }) }, ...errors },
        },
      },
      '/admin/api/tickets/{ticketNo}': {
        get: { summary: 'A ticket with its conversation and routing explanation', parameters: [ticketNo], responses: { '200': { description: 'the ticket', ...json({ type: 'object' }) }, ...errors } },
        patch: {
          summary: 'Change its status (resolving or rejecting needs a note, for staff or for the citizen) or forward it to another department or ward office',
          parameters: [ticketNo],
          requestBody: { required: true, ...json({ type: 'object', properties: { status: { type: 'string', enum: Ticket.shape.status.options }, note: { type: 'string', description: 'internal: staff only' }, publicNote: { type: 'string', maxLength: 200, description: 'sent to the citizen with a resolution or rejection' }, department: { type: 'string' }, ward: { type: ['string', 'null'] } }, additionalProperties: false }) },
          responses: { '200': { description: 'changed', ...json({ type: 'object' }) }, ...errors },
        },
      },
      '/admin/api/dead-letters': {
        get: {
          summary: 'Messages and replies that could not be processed or sent, newest first',
          parameters: [...paging, { name: 'kind', in: 'query', schema: { enum: ['inbound', 'outbound'] } }, { name: 'channel', in: 'query', schema: { enum: Channel.options } }],
          responses: { '200': { description: 'a page of dead letters', ...json({ type: 'object', properties: { items: { type: 'array', items: deadLetter }, total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' } } }) }, ...errors },
        },
      },
      '/admin/api/dead-letters/{kind}/{id}': {
        get: { summary: 'One dead letter, with the message it carried (without the provider\'s raw payload)', parameters: deadRef, responses: { '200': { description: 'the dead letter', ...json({ type: 'object', properties: { item: deadLetter, message: { type: 'object' } } }) }, ...errors } },
      },
      '/admin/api/dead-letters/{kind}/{id}/retry': {
        post: { summary: 'Try it again now', parameters: deadRef, responses: { '202': { description: 'queued' }, ...errors } },
      },
      '/admin/api/channels': { get: { summary: 'Each channel on or off and why; each account\'s health and what a person must do', responses: { '200': { description: 'health', ...json({ type: 'object' }) }, ...errors } } },
      '/admin/api/audit': {
        get: { summary: 'Who changed what, when, before and after (newest first; page with before=<id>)', parameters: ['kind', 'recordId', 'actor', 'before', 'limit'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })), responses: { '200': { description: 'entries', ...json({ type: 'object' }) }, ...errors } },
      },
      ...recordPaths(),
    },
  };
}
