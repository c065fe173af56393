import { PermanentSendError, RetryableSendError, type Connector } from '../connectors/connector.ts';
import type { OutboxEntry } from '../model/index.ts';
import type { Store } from '../store/store.ts';
import { backoffDelay, type RetryPolicy } from './backoff.ts';
import { describeError } from './describe-error.ts';
import type { RateLimiter } from './rate-limiter.ts';

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
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'dead'; error: string };

/**
 * Step 7 for one outbox entry. An entry found in `sending` was cut off by a crash: the provider may already have
 * it, so ask the connector before sending again.
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
  const interrupted = entry.state === 'sending';
  if (!(await deps.store.claimOutbox(entry.id))) return { kind: 'skipped' };
  const attempt = entry.attempts + 1;
  try {
    if (interrupted && connector.findSent) {
      const found = await connector.findSent(msg, new Date(new Date(entry.updatedAt).getTime() - 60_000));
      if (found) {
        await deps.store.markOutboxSent(entry.id, found.providerId);
        return { kind: 'sent', providerId: found.providerId, recovered: true };
      }
    }
    await deps.limiters.get(msg.channel)?.take();
    const { providerId } = await connector.send(msg, { outboxId: entry.id });
    await deps.store.markOutboxSent(entry.id, providerId);
    return { kind: 'sent', providerId, recovered: false };
  } catch (err) {
    const error = describeError(err);
    if (err instanceof PermanentSendError || attempt >= deps.retry.maxAttempts) {
      const why = err instanceof PermanentSendError ? error : `${error} (gave up after ${attempt} attempts)`;
      await deps.store.markOutboxDead(entry.id, why);
      return { kind: 'dead', error: why };
    }
    const wait = err instanceof RetryableSendError && err.retryAfterMs ? err.retryAfterMs : 0;
    const delayMs = Math.max(wait, backoffDelay(attempt, deps.retry));
    await deps.store.markOutboxRetry(entry.id, error, new Date(deps.now().getTime() + delayMs));
    return { kind: 'retry', delayMs, error };
  }
}
