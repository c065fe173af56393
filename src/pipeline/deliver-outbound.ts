import { HeldSendError, PermanentSendError, RateLimitedSendError, ReachElsewhereError, RetryableSendError, type Connector } from '../connectors/connector.ts';
import type { OutboxEntry } from '../model/index.ts';
import { recipientOf } from '../store/campaign-store.ts';
import type { Store } from '../store/store.ts';
import { backoffDelay, retriesExhausted, type RetryPolicy } from './backoff.ts';
import { describeError } from './describe-error.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { reachElsewhere } from './reach-elsewhere.ts';

export interface DeliverDeps {
  store: Store;
  connectors: ReadonlyMap<string, Connector>;
  limiters: ReadonlyMap<string, RateLimiter>;
  retry: RetryPolicy;
  now: () => Date;
}

export type DeliveryOutcome =
  | { kind: 'skipped' }
  | { kind: 'sent'; providerId: string; recovered: boolean }
  | { kind: 'retry'; delayMs: number; error: string; held?: boolean; rateLimited?: boolean }
  /** its channel could not carry it: the same text was queued on another (outboxId) */
  | { kind: 'rerouted'; channel: string; outboxIds: number[] }
  | { kind: 'dead'; error: string };

// a held reply (its account needs a person) is tried again this often, unless the connector says otherwise
const HELD_RETRY_MS = 60_000;
// a provider's clock and ours differ, and "created" is stamped when the request lands, not when we sent it
const CLOCK_SLACK_MS = 60_000;

/**
 * Where an earlier attempt may have reached the provider unheard: an entry found in `sending` was cut off by a
 * crash (it was claimed at updatedAt); an entry with `unsureSince` had an attempt whose answer was lost.
 */
function unsureFrom(entry: OutboxEntry): Date | undefined {
  const at = entry.state === 'sending' ? entry.updatedAt : entry.unsureSince;
  return at === undefined ? undefined : new Date(new Date(at).getTime() - CLOCK_SLACK_MS);
}

/**
 * Step 7 for one outbox entry. Any attempt that follows one of unknown outcome (a crash mid-send, a reset, a
 * time-out) first asks the connector whether the provider already has the message, or relies on the connector's
 * own idempotency: a reply the provider accepted is never sent twice.
 */
export async function deliverOutbound(entry: OutboxEntry, deps: DeliverDeps): Promise<DeliveryOutcome> {
  if (entry.state !== 'pending' && entry.state !== 'sending') return { kind: 'skipped' };
  const msg = entry.message;
  const connector = deps.connectors.get(msg.channel);
  if (!connector) {
    const error = `channel ${msg.channel} is off: nothing can send this reply; turn the channel on, then retry it from the dead letters`;
    await deps.store.markOutboxDead(entry.id, error);
    return { kind: 'dead', error };
  }
  // an announcement is checked again at its send: the citizen may have sent STOP (on any channel) or staff
  // cancelled the campaign since it was queued. Complaint replies and status updates are never held back.
  if (msg.campaignId) {
    const contactId = recipientOf(msg.idempotencyKey, msg.campaignId) ?? (await deps.store.findContactByIdentity(msg.channel, msg.to))?.id;
    const verdict = contactId === undefined ? 'opted out' : await deps.store.campaigns.deliverable(msg.campaignId, contactId);
    if (verdict !== 'send') {
      const why = verdict === 'opted out' ? 'opted out: the citizen asked for no announcements (STOP); not sent' : `cancelled: campaign ${msg.campaignId} was cancelled; not sent`;
      await deps.store.markOutboxDead(entry.id, why);
      return { kind: 'dead', error: why };
    }
  }
  const lookFrom = unsureFrom(entry);
  if (!(await deps.store.claimOutbox(entry.id))) return { kind: 'skipped' };
  const attempt = entry.attempts + 1;
  let startedAt: Date | undefined;
  let sentId: string | undefined;
  try {
    if (lookFrom && connector.resend.kind === 'lookup') {
      const found = await connector.resend.findSent(msg, lookFrom);
      if (found) {
        await deps.store.markOutboxSent(entry.id, found.providerId);
        return { kind: 'sent', providerId: found.providerId, recovered: true };
      }
    }
    await deps.limiters.get(msg.channel)?.take();
    startedAt = deps.now();
    sentId = (await connector.send(msg, { outboxId: entry.id })).providerId;
    await deps.store.markOutboxSent(entry.id, sentId);
    return { kind: 'sent', providerId: sentId, recovered: false };
  } catch (err) {
    const error = describeError(err);
    // Only the send itself can have reached the provider (a failed lookup leaves the earlier mark as it was). A
    // send that succeeded but could not be recorded is unsure too: the next attempt finds it at the provider.
    const unsure = sentId !== undefined || (err instanceof RetryableSendError && err.outcomeUnknown);
    const unsureSince = startedAt && unsure ? { unsureSince: startedAt } : {};
    const now = deps.now();
    // the account needs a person (a revoked token): the reply waits, and the wait costs it no attempt or time
    if (err instanceof HeldSendError && !unsure) {
      const delayMs = err.retryAfterMs ?? HELD_RETRY_MS;
      await deps.store.markOutboxRetry(entry.id, error, new Date(now.getTime() + delayMs), { uncounted: true });
      return { kind: 'retry', delayMs, error, held: true };
    }
    // an announcement goes where the citizen can take one, or not at all: copies elsewhere are for replies
    if (err instanceof ReachElsewhereError && msg.campaignId) {
      const why = `${error}; an announcement is not sent by another channel`;
      await deps.store.markOutboxDead(entry.id, why);
      return { kind: 'dead', error: why };
    }
    if (err instanceof ReachElsewhereError) {
      const other = await reachElsewhere(entry, error, deps);
      if (other.kind === 'unreachable') {
        await deps.store.markOutboxDead(entry.id, other.why);
        return { kind: 'dead', error: other.why };
      }
      await deps.store.markOutboxSent(entry.id, `${other.channel}:outbox-${other.outboxIds.join('+')}`);
      return { kind: 'rerouted', channel: other.channel, outboxIds: other.outboxIds };
    }
    if (err instanceof PermanentSendError || retriesExhausted(attempt, entry.createdAt, now, deps.retry)) {
      const why = err instanceof PermanentSendError ? error : `${error} (gave up after ${attempt} attempts)`;
      await deps.store.markOutboxDead(entry.id, why, unsureSince);
      return { kind: 'dead', error: why };
    }
    const wait = err instanceof RetryableSendError && err.retryAfterMs ? err.retryAfterMs : 0;
    const delayMs = Math.max(wait, backoffDelay(attempt, deps.retry));
    await deps.store.markOutboxRetry(entry.id, error, new Date(now.getTime() + delayMs), unsureSince);
    return { kind: 'retry', delayMs, error, ...(err instanceof RateLimitedSendError ? { rateLimited: true } : {}) };
  }
}
