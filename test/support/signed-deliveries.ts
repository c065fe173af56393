import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { signBody } from '../../src/connectors/intake/verify.ts';
import { tokenKey } from '../../src/connectors/lokshahi/parse.ts';
import type { SourceRef } from '../../src/model/index.ts';
import { ZPLUS_TEST_KEY } from './all-routes-bridge.ts';
import { delivery, FB_PAGE, metaJson, pageEntry, signMeta, textEvent } from './facebook-webhooks.ts';
import { CALLCENTRE_TEST_KEY, LOKSHAHI_TEST_SECRET, X_WEBHOOK_TEST_SECRET } from './push-channels.ts';
import { smsParams, TEST_AUTH_TOKEN, TEST_FROM, TEST_PUBLIC_BASE_URL } from './sms-webhooks.ts';
import { X_ACCOUNT } from './social-bridge.ts';
import { dmActivity, signX } from './x-activity.ts';

/** One delivery exactly as its sender makes it: posting the same object twice is a replay (same bytes, same signature). */
export interface SignedDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** the message it carries, as the archive names it */
  source: SourceRef;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
/** a made-up Indian mobile for citizen `i` */
const mobile = (i: number): string => `97${String(40_000_000 + i).slice(-8)}`;

/**
 * The signed (or keyed) routes, each making a well-formed delivery of citizen `i` saying `text`. A form carries a
 * lone surrogate as the percent-encoded invalid UTF-8 a sender would write, signed as Twilio signs: the values
 * as decoded (U+FFFD); a JSON sender escapes it (\ud800).
 */
export const SIGNED_SENDERS: Record<string, (i: number, text: string) => SignedDelivery> = {
  sms: (i, text) => {
    const params = smsParams(i, { Body: text });
    const body = new URLSearchParams(params).toString().replace(/%EF%BF%BD/g, '%ED%A0%80');
    const signedParams = Object.fromEntries(new URLSearchParams(body));
    const path = '/webhooks/sms/twilio';
    const signature = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${TEST_PUBLIC_BASE_URL}${path}`, signedParams);
    return { path, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body, source: { channel: 'sms', accountId: TEST_FROM, externalId: params.MessageSid! } };
  },
  facebook: (i, text) => {
    const event = textEvent(`72${String(i).padStart(14, '0')}`, text);
    const body = metaJson(delivery(pageEntry([event])));
    return { path: '/webhooks/facebook', headers: { ...JSON_HEADERS, 'x-hub-signature-256': signMeta(body) }, body, source: { channel: 'facebook', accountId: FB_PAGE, externalId: (event.message as { mid: string }).mid } };
  },
  'x dm': (i, text) => {
    const id = `19${String(i).padStart(17, '0')}`;
    const body = JSON.stringify(dmActivity(X_ACCOUNT, { id, senderId: `18${String(i).padStart(17, '0')}`, text }));
    return { path: '/webhooks/twitter', headers: { ...JSON_HEADERS, 'x-twitter-webhooks-signature': signX(body, X_WEBHOOK_TEST_SECRET) }, body, source: { channel: 'twitter', accountId: X_ACCOUNT, externalId: `dm:${id}` } };
  },
  lokshahi: (i, text) => {
    const token = `LD/2026/${8000 + i}`;
    const body = JSON.stringify({
      token, applicationDate: '2026-11-12', office: 'कोथरूड क्षेत्रीय कार्यालय', subject: 'कचरा उचलला नाही', description: text,
      applicant: { name: `अर्जदार ${i}`, mobile: mobile(i) },
    });
    return { path: '/webhooks/lokshahi', headers: { ...JSON_HEADERS, 'x-lokshahi-signature': signBody(body, LOKSHAHI_TEST_SECRET) }, body, source: { channel: 'lokshahi', accountId: 'lokshahi-din', externalId: tokenKey(token) } };
  },
  'call centre': (i, text) => {
    const externalId = `call-bad-${i}`;
    const body = JSON.stringify({ externalId, agentId: 'agent-17', sender: { name: `Caller ${i}`, phone: mobile(i) }, text, language: 'mr' });
    return { path: '/webhooks/api/callcentre', headers: { ...JSON_HEADERS, 'x-signature': signBody(body, CALLCENTRE_TEST_KEY) }, body, source: { channel: 'phone', accountId: 'callcentre', externalId } };
  },
  'intake api': (i, text) => {
    const externalId = `zplus-bad-${i}`;
    const body = JSON.stringify({ externalId, sender: { name: `नागरिक ${i}`, phone: mobile(i) }, text });
    return { path: '/webhooks/api/zplus', headers: { ...JSON_HEADERS, 'x-signature': signBody(body, ZPLUS_TEST_KEY) }, body, source: { channel: 'api', accountId: 'zplus', externalId } };
  },
  // keyed by its api_key rather than signed; the same request posted again is the same request
  open311: (i, text) => {
    const body = JSON.stringify({ api_key: ZPLUS_TEST_KEY, service_code: 'garbage', address_string: `कोथरूड, पुणे ${i}`, description: text, phone: mobile(i) });
    const externalId = `open311:${createHash('sha256').update(body).digest('hex').slice(0, 40)}`;
    return { path: '/open311/v2/requests.json', headers: JSON_HEADERS, body, source: { channel: 'api', accountId: 'zplus', externalId } };
  },
};

export async function post(base: string, d: SignedDelivery): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${d.path}`, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, text: await res.text() };
}
