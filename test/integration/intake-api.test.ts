import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/connectors/intake/verify.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { startSocialBridge, type SocialBridge } from '../support/social-bridge.ts';
import { until } from '../support/wait.ts';

const KEY = 'callcentre-test-key-0123456789';
const ZPLUS_KEY = 'zplus-test-key-0123456789abcd';
const LOCAL = 'intake: { sources: [ { id: callcentre, keyEnv: CALLCENTRE_API_KEY, channel: phone }, { id: zplus, keyEnv: ZPLUS_API_KEY, channel: api, open311: true } ] }\n';

function post(bridge: SocialBridge, path: string, body: unknown, opts: { key?: string; signature?: string } = {}): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(`${bridge.app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': opts.signature ?? signBody(raw, opts.key ?? KEY) },
    body: raw,
  });
}

// The signed intake API and its Open311 face, against the whole bridge: agents' calls, another system's filings and
// an Open311 client each become one ticket, and the citizen hears of it by SMS.
describe('intake API', () => {
  let twilio: FakeTwilioApi;
  let bridge: SocialBridge;
  beforeAll(async () => {
    twilio = await startFakeTwilioApi();
    bridge = await startSocialBridge({ twilio }, { localYaml: LOCAL, env: { CALLCENTRE_API_KEY: KEY, ZPLUS_API_KEY: ZPLUS_KEY } });
  });
  afterAll(async () => {
    await bridge?.close();
    await twilio?.close();
  });

  it('files an agent\'s complaint with the agent on the ticket, answers with its number, and texts the caller once', async () => {
    const call = { externalId: 'call-2026-12-01-0042', agentId: 'agent-17', sender: { name: 'सुनीता जाधव', phone: '98220 12345' }, text: 'कोथरूड येथे तीन दिवसांपासून कचरा उचललेला नाही', language: 'mr' };
    const res = await post(bridge, '/webhooks/api/callcentre', call);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { ticketNo: string; duplicate: boolean };
    expect(body.ticketNo).toMatch(/^PMC\d+$/);
    expect(body.duplicate).toBe(false);
    const ticket = await bridge.app.store.getTicket(body.ticketNo);
    expect(ticket?.history[0]?.by).toContain('agent:agent-17');
    expect(ticket?.sources[0]).toMatchObject({ channel: 'phone', accountId: 'callcentre', externalId: call.externalId });
    expect(ticket?.citizen.phone).toBe('+919822012345');
    expect(ticket?.category).toBe('garbage');
    // the call has ended: the acknowledgement reaches the caller by SMS, in Marathi, with the number
    const sms = await until('the SMS copy', () => twilio.sent.find((m) => m.To === '+919822012345'));
    expect(sms.Body).toContain(body.ticketNo);
    expect(sms.Body).toMatch(/तक्रार/);

    // the desk retries the same call: no second ticket, the same number, no second SMS
    const again = await post(bridge, '/webhooks/api/callcentre', call);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { ticketNo: string }).ticketNo).toBe(body.ticketNo);
    await new Promise((r) => setTimeout(r, 300));
    expect(twilio.sent.filter((m) => m.To === '+919822012345')).toHaveLength(1);
  });

  it('refuses a forged or unsigned call with 403 and stores nothing', async () => {
    const before = (await bridge.app.store.listTickets()).length;
    const forged = await post(bridge, '/webhooks/api/callcentre', { externalId: 'forged-1', text: 'पाणी येत नाही' }, { key: 'someone-elses-key-0123456789' });
    expect(forged.status).toBe(403);
    const unsigned = await post(bridge, '/webhooks/api/callcentre', { externalId: 'forged-2', text: 'पाणी येत नाही' }, { signature: '' });
    expect(unsigned.status).toBe(403);
    // a body signed for one source is not good for another
    const crossed = await post(bridge, '/webhooks/api/zplus', { externalId: 'forged-3', text: 'water leak' }, { key: KEY });
    expect(crossed.status).toBe(403);
    expect(await bridge.app.store.getInboundBySource({ channel: 'phone', accountId: 'callcentre', externalId: 'forged-1' })).toBeUndefined();
    expect((await bridge.app.store.listTickets()).length).toBe(before);
    // the signature is checked on the bytes before they are parsed: unsigned garbage is 403, signed garbage 400
    const raw = (body: string, signature: string) => fetch(`${bridge.app.url}/webhooks/api/callcentre`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
    expect((await raw('{"not json', `sha256=${'0'.repeat(64)}`)).status).toBe(403);
    expect((await raw('{"not json', signBody('{"not json', KEY))).status).toBe(400);
    // a body that begins with a byte-order mark is signed as sent
    const withBom = '\uFEFF' + JSON.stringify({ externalId: 'bom-1', text: 'हडपसरमध्ये पाणी येत नाही' });
    expect((await raw(withBom, signBody(withBom, KEY))).status).toBe(202);
  });

  it('answers 422 naming each field that is wrong', async () => {
    const res = await post(bridge, '/webhooks/api/callcentre', { externalId: 'bad-1', sender: { phone: 'call me' }, text: '' });
    expect(res.status).toBe(422);
    const { issues } = (await res.json()) as { issues: { field: string }[] };
    expect(issues.map((i) => i.field)).toContain('text');
    const phone = await post(bridge, '/webhooks/api/callcentre', { externalId: 'bad-2', sender: { phone: 'call me' }, text: 'पाणी येत नाही' });
    expect(phone.status).toBe(422);
    expect(((await phone.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe('sender.phone');
    const category = await post(bridge, '/webhooks/api/callcentre', { externalId: 'bad-3', text: 'पाणी येत नाही', category: 'no-such-thing' });
    expect(category.status).toBe(422);
    // nothing in words: refused now, not accepted and never filed
    const wordless = await post(bridge, '/webhooks/api/callcentre', { externalId: 'bad-4', text: '🙏 ?? \u200b' });
    expect(wordless.status).toBe(422);
    expect(((await wordless.json()) as { issues: { field: string }[] }).issues[0]?.field).toBe('text');
  });

  it('takes another system\'s filing in English with its own category and pin, routed by its own mapping', async () => {
    const res = await post(bridge, '/webhooks/api/zplus', { externalId: 'Z+/77812', sender: { email: 'Resident@Example.org' }, text: 'Street light not working near Baner road bus stop', category: 'streetlights', location: { lat: 18.559, lon: 73.7868 } }, { key: ZPLUS_KEY });
    expect(res.status).toBe(202);
    const { ticketNo } = (await res.json()) as { ticketNo: string };
    const ticket = await bridge.app.store.getTicket(ticketNo);
    expect(ticket).toMatchObject({ category: 'streetlights', department: 'ELECTRICAL', language: 'en', location: { lat: 18.559, lon: 73.7868 } });
    expect(ticket?.citizen.email).toBe('resident@example.org');
    // no phone, and email is off: the acknowledgement is recorded as unreachable, saying why
    const dead = await until('the unreachable reply', async () => (await bridge.outbox('api')).find((e) => e.message.ticketNo === ticketNo && e.state === 'dead'));
    expect(dead.lastError).toMatch(/email is off/);
  });

  it('speaks Open311 GeoReport v2: services, a request filed with api_key, and its status by id without personal data', async () => {
    const services = (await (await fetch(`${bridge.app.url}/open311/v2/services.json`)).json()) as { service_code: string; service_name: string }[];
    expect(services.map((s) => s.service_code)).toContain('garbage');
    const form = new URLSearchParams({ api_key: ZPLUS_KEY, service_code: 'roads', lat: '18.5204', long: '73.8567', address_string: 'FC Road, Shivajinagar', description: 'शिवाजीनगरमध्ये मोठा खड्डा पडला आहे', first_name: 'Amit', last_name: 'Kulkarni', phone: '+91 98230 55555' });
    const wrongKey = await fetch(`${bridge.app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(form), api_key: 'nope-nope-nope-nope' }).toString() });
    expect(wrongKey.status).toBe(403);
    const created = await fetch(`${bridge.app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(created.status).toBe(201);
    const [made] = (await created.json()) as { service_request_id: string }[];
    expect(made?.service_request_id).toMatch(/^PMC\d+$/);
    const ticket = await bridge.app.store.getTicket(made!.service_request_id);
    expect(ticket).toMatchObject({ category: 'roads', location: { lat: 18.5204, lon: 73.8567 } });
    expect(ticket?.citizen.name).toBe('Amit Kulkarni');

    // a client posting JSON, numbers as numbers
    const asJson = await fetch(`${bridge.app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api_key: ZPLUS_KEY, service_code: 'garbage', lat: 18.51, long: 73.85, email: null, description: 'Garbage heap near Deccan bus stop' }) });
    expect(asJson.status).toBe(201);
    const hex = await fetch(`${bridge.app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: ZPLUS_KEY, service_code: 'garbage', lat: '0x12', long: '73.85' }).toString() });
    expect(hex.status).toBe(400);

    const read = await fetch(`${bridge.app.url}/open311/v2/requests/${made!.service_request_id}.json`);
    expect(read.status).toBe(200);
    const text = await read.text();
    const [request] = JSON.parse(text) as { status: string; service_code: string }[];
    expect(request).toMatchObject({ status: 'open', service_code: 'roads' });
    for (const personal of ['Amit', 'Kulkarni', '98230', 'FC Road', 'खड्डा']) expect(text).not.toContain(personal);
    expect((await fetch(`${bridge.app.url}/open311/v2/requests/PMC1.json`)).status).toBe(404);

    // the OpenAPI document describes both
    const doc = (await (await fetch(`${bridge.app.url}/webhooks/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/webhooks/api/{source}', '/open311/v2/requests.json']));
  });
});
