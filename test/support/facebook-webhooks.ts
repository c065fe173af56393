import { createHmac } from 'node:crypto';

/** synthetic app and pages: ids and secrets are made up */
export const FB_APP_SECRET = 'test-app-secret-0123456789abcdef';
export const FB_VERIFY_TOKEN = 'test-verify-token-42';
export const FB_PAGE = '104000000000001';
export const FB_PAGE_TOKEN = 'EAAtestpagetoken0000000000000001';
export const FB_PAGE_2 = '104000000000002';
export const FB_PAGE_2_TOKEN = 'EAAtestpagetoken0000000000000002';

/**
 * A delivery as Meta serialises it: non-ASCII escaped as \uXXXX and "/" as "\/", so the signature is over those
 * bytes (a verifier that re-serialises the JSON fails on every Devanagari message).
 */
export function metaJson(body: unknown): string {
  return JSON.stringify(body)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

export const signMeta = (raw: string, secret = FB_APP_SECRET): string => `sha256=${createHmac('sha256', secret).update(raw, 'utf8').digest('hex')}`;

export async function postToFacebookHook(url: string, body: unknown, opts: { secret?: string; signature?: string | null } = {}): Promise<Response> {
  const raw = metaJson(body);
  const signature = opts.signature === undefined ? signMeta(raw, opts.secret) : opts.signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body: raw,
  });
}

let seq = 0;
/** a Messenger text event from a citizen (a PSID made up from n) */
export function textEvent(psid: string, text: string, page = FB_PAGE, at = Date.now()): Record<string, unknown> {
  return { sender: { id: psid }, recipient: { id: page }, timestamp: at, message: { mid: `m_test${++seq}_${psid}`, text } };
}

export const pageEntry = (events: unknown[], page = FB_PAGE): Record<string, unknown> => ({ id: page, time: Date.now(), messaging: events });
export const delivery = (...entries: unknown[]): Record<string, unknown> => ({ object: 'page', entry: entries });

/** a citizen's comment on one of the page's posts, as the feed webhook sends it */
export function commentChange(page: string, postId: string, commentId: string, from: { id: string; name: string }, message: string): Record<string, unknown> {
  return {
    id: page,
    time: Date.now(),
    changes: [{ field: 'feed', value: { from, item: 'comment', verb: 'add', comment_id: commentId, post_id: postId, parent_id: postId, message, created_time: Math.floor(Date.now() / 1000), post: { status_type: 'added_photos', is_published: true, id: postId } } }],
  };
}
