import { ReachElsewhereError, type ResendGuard } from '../connector.ts';

/**
 * The intake API has no way back to the citizen (an agent's call has ended, another system files and forgets):
 * every reply goes by SMS to their phone and by email to their address, when they gave them.
 */
export function sendElsewhere(): Promise<never> {
  return Promise.reject(new ReachElsewhereError('this source has no way back to the citizen: by SMS or email instead'));
}

export const NOTHING_SENT_HERE: ResendGuard = { kind: 'idempotent', how: 'nothing is sent on this channel: replies are copied to SMS or email, each its own outbox entry' };
