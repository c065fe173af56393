import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './bridge-process.ts';
import type { DirectLineActivity } from './webchat-bridge.ts';

interface StoredActivity { id?: string; from: { role?: string }; channelData: Record<string, unknown> }
type Reducer = (state: StoredActivity[], action: unknown) => StoredActivity[];

// Web Chat's own activities reducer (botframework-webchat-core; its package exports do not name the file)
const reducer = (createRequire(import.meta.url)(join(ROOT, 'node_modules/botframework-webchat-core/lib/reducers/createActivitiesReducer.js')) as { default: (p: { Date: DateConstructor }) => Reducer }).default({ Date });

/**
 * The citizen's bubbles as Web Chat's reducer leaves them ([id, clientActivityID, send status]) after: `text` posted
 * as `firstId`, given up on (`givenUp`) or still being sent, posted again by Retry as `retryId`, then the echoes the
 * bridge logged, in log order.
 */
export function bubblesAfterRetry(text: string, messageId: string, firstId: string, retryId: string, givenUp: boolean, echoes: DirectLineActivity[]): [string | undefined, unknown, unknown][] {
  let state: StoredActivity[] = [];
  const outgoing = (clientActivityID: string) => ({ type: 'message', text, from: { role: 'user' }, channelData: { clientActivityID, messageId } });
  state = reducer(state, { type: 'DIRECT_LINE/POST_ACTIVITY_PENDING', meta: { clientActivityID: firstId }, payload: { activity: outgoing(firstId) } });
  if (givenUp) state = reducer(state, { type: 'DIRECT_LINE/POST_ACTIVITY_REJECTED', meta: { clientActivityID: firstId }, payload: new Error('not sent') });
  state = reducer(state, { type: 'DIRECT_LINE/POST_ACTIVITY_PENDING', meta: { clientActivityID: retryId }, payload: { activity: outgoing(retryId) } });
  for (const activity of echoes) state = reducer(state, { type: 'DIRECT_LINE/INCOMING_ACTIVITY', payload: { activity } });
  const retried = echoes.find((e) => e.channelData?.clientActivityID === retryId);
  if (retried) state = reducer(state, { type: 'DIRECT_LINE/POST_ACTIVITY_FULFILLED', meta: { clientActivityID: retryId }, payload: { activity: retried } });
  return state.filter((a) => a.from.role === 'user').map((a) => [a.id, a.channelData.clientActivityID, a.channelData['webchat:send-status']]);
}
