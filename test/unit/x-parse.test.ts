import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActivityDelivery, fromActivity, isCitizenDm, mentionMessage, threadOf, withoutLeadingHandles } from '../../src/connectors/twitter/parse.ts';
import { crcResponse, verifyXSignature } from '../../src/connectors/twitter/verify.ts';
import { ROOT } from '../support/bridge-process.ts';
import { dmActivity, mentionActivity, signX } from '../support/x-activity.ts';

const US = '1700000000000000001';
const OURS = new Set([US]);

describe('X posts and DMs', () => {
  it('reads a webhook mention like a polled one: the words without the handles, public, in its thread', () => {
    const d = ActivityDelivery.parse(mentionActivity(US, 'PMCPune', { id: '1900000000000000001', text: '@PMCPune @wardoffice हडपसर में गड्ढा', author: { id: '1800000000000000001', screen_name: 'r_k', name: 'R K' } }));
    const { tweets } = fromActivity(d, OURS);
    expect(tweets).toHaveLength(1);
    const m = mentionMessage(US, tweets[0]!.tweet, tweets[0]!.author, threadOf(tweets[0]!.tweet), {});
    expect(m).toMatchObject({ channel: 'twitter', accountId: US, externalId: '1900000000000000001', text: 'हडपसर में गड्ढा', public: true, threadKey: 'tweet:1900000000000000001:1800000000000000001' });
    expect(new Date(m.receivedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('leaves out our own posts, retweets, and posts that do not mention us', () => {
    const ours = mentionActivity(US, 'PMCPune', { id: '1900000000000000002', text: '@PMCPune thanks', author: { id: US, screen_name: 'PMCPune', name: 'PMC' } });
    const retweet = mentionActivity(US, 'PMCPune', { id: '1900000000000000003', text: 'RT @PMCPune water cut', author: { id: '1800000000000000002', screen_name: 'x', name: 'X' } });
    (retweet.tweet_create_events as Record<string, unknown>[])[0]!.retweeted_status = { id_str: '1' };
    const other = mentionActivity(US, 'PMCPune', { id: '1900000000000000004', text: 'nothing for us', author: { id: '1800000000000000003', screen_name: 'y', name: 'Y' } });
    ((other.tweet_create_events as { entities: { user_mentions: unknown[] } }[])[0]!.entities.user_mentions) = [];
    for (const d of [ours, retweet, other]) expect(fromActivity(ActivityDelivery.parse(d), OURS).tweets).toEqual([]);
  });

  it('takes a citizen DM and never ours', () => {
    const { dms } = fromActivity(ActivityDelivery.parse(dmActivity(US, { id: '1950000000000000001', senderId: '1800000000000000004', text: 'Kothrud madhe pani nahi' })), OURS);
    expect(dms.filter((d) => isCitizenDm(OURS, d.event))).toHaveLength(1);
    expect(dms[0]!.raw).toMatchObject({ type: 'message_create', id: '1950000000000000001' });
    const mine = fromActivity(ActivityDelivery.parse(dmActivity(US, { id: '1950000000000000002', senderId: US, text: 'आपली तक्रार नोंदवली' })), OURS).dms;
    expect(mine.filter((d) => isCitizenDm(OURS, d.event))).toEqual([]);
  });

  it('strips only the leading handles', () => {
    expect(withoutLeadingHandles('@PMCPune @PuneCityPolice Baner road @ 10 pm is dark')).toBe('Baner road @ 10 pm is dark');
    expect(withoutLeadingHandles('पाणी नाही @PMCPune')).toBe('पाणी नाही @PMCPune');
  });

  it("matches GitHub's published HMAC-SHA256 vector, in X's base64, for a signature and for the CRC answer", () => {
    // X publishes no vector; its scheme is the same HMAC over the raw bytes, base64 instead of hex
    // (test/fixtures/x/README.md): the digest here is GitHub's, not one computed by this test
    const v = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'facebook', 'github-docs__signature_vector.json'), 'utf8')) as { secret: string; body: string; expected: string };
    const published = `sha256=${Buffer.from(v.expected.replace(/^sha256=/, ''), 'hex').toString('base64')}`;
    expect(verifyXSignature(v.body, published, v.secret)).toEqual({ ok: true });
    expect(verifyXSignature(Buffer.from(v.body, 'utf8'), published, v.secret)).toEqual({ ok: true });
    expect(verifyXSignature(v.body.replace('World', 'world'), published, v.secret).ok).toBe(false);
    expect(verifyXSignature(v.body, published, v.secret.toLowerCase()).ok).toBe(false);
    expect(crcResponse(v.body, v.secret)).toEqual({ response_token: published });
  });

  it('answers the CRC check and checks signatures on the raw body', () => {
    // X's docs give the scheme, not a vector: the HMAC here is Node's own, the comparison and format are ours
    expect(crcResponse('token-1', 'consumer-secret')).toEqual({ response_token: expect.stringMatching(/^sha256=[A-Za-z0-9+/]{43}=$/) });
    const raw = JSON.stringify(dmActivity(US, { id: '1', senderId: '2', text: 'वारजे' }));
    expect(verifyXSignature(raw, signX(raw, 'consumer-secret'), 'consumer-secret')).toEqual({ ok: true });
    expect(verifyXSignature(raw, signX(raw, 'other-secret'), 'consumer-secret').ok).toBe(false);
    expect(verifyXSignature(raw, undefined, 'consumer-secret').ok).toBe(false);
    expect(verifyXSignature(raw + ' ', signX(raw, 'consumer-secret'), 'consumer-secret').ok).toBe(false);
  });
});
