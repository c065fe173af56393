import { businessUseCaseUsage, type GraphFault } from './fake-graph-api.ts';
import type { TwilioFault } from './fake-twilio-api.ts';
import type { XFault } from './fake-x-api.ts';
import type { FaultPlan } from './outage.ts';
import type { SmtpFault } from './smtp-sink.ts';

/**
 * A provider's bad minute as each one has it, for the fakes' outage(): its 5xx, its rate limit with its own headers,
 * and time-outs (hangs, and resets after the provider acted: the send is in doubt). Sends (POSTs, RCPT TO) and
 * look-ups each take their faults in turn, so every kind comes up on every channel and the first sends are among
 * those carried out unanswered; `counted` says how many requests each channel's plan met.
 */
export function outageMix(pageId: string) {
  const counted = { sms: 0, facebook: 0, twitter: 0, email: 0 };
  const turn = <F>(channel: keyof typeof counted, sends: (leftMs: number) => F[], lookups: (leftMs: number) => F[]): FaultPlan<F> => {
    let sent = 0;
    let looked = 0;
    return (n, leftMs, what) => {
      counted[channel] = n + 1;
      const isSend = what.startsWith('POST') || what === 'RCPT TO';
      const list = isSend ? sends(leftMs) : lookups(leftMs);
      return list[(isSend ? sent++ : looked++) % list.length]!;
    };
  };
  // Twilio's own "too many requests" carries the wait it asks for
  const twilio429: TwilioFault = { status: 429, code: 20429, retryAfter: '5' };
  const twilio = turn<TwilioFault>(
    'sms',
    () => [{ status: 500, code: 20500 }, 'reset-after-create', twilio429, 'hang', { status: 503, code: 20503 }, 'reset-before-create'],
    () => [{ status: 503, code: 20503 }, 'hang', twilio429, 'reset-before-create', { status: 500, code: 20500 }],
  );
  // the page's Messenger budget: Graph says in whole minutes when it comes back (0 within the last minute); the
  // app's budget (code 4, X-App-Usage, which names no time: the bridge waits its own minute) runs out at the start
  // of the spell only, so that minute ends within the run
  const graphLimit = (leftMs: number): GraphFault =>
    leftMs > 45_000
      ? { status: 400, error: { code: 4 }, headers: { 'X-App-Usage': JSON.stringify({ call_count: 100, total_cputime: 38, total_time: 41 }) } }
      : { status: 400, error: { code: 613 }, headers: businessUseCaseUsage(pageId, Math.floor(leftMs / 60_000)) };
  const graph500: GraphFault = { status: 500, error: { code: 2, is_transient: true } };
  const graph503: GraphFault = { status: 503, error: { code: 2, is_transient: true, message: 'Service temporarily unavailable' } };
  const graph = turn<GraphFault>(
    'facebook',
    (leftMs) => [graph500, 'reset-after', { status: 400, error: { code: 613 }, headers: businessUseCaseUsage(pageId, 0) }, 'hang', graph503, graphLimit(leftMs)],
    (leftMs) => [graph503, 'hang', graphLimit(leftMs), 'reset-before', graph500],
  );
  // X's window resets when the spell ends, and its 429 says so (x-rate-limit-reset)
  const x = turn<XFault>(
    'twitter',
    (leftMs) => [{ status: 503 }, 'reset-after', { status: 429, resetAt: Date.now() + leftMs }, 'hang', { status: 500 }, 'reset-before'],
    (leftMs) => [{ status: 500 }, 'hang', { status: 429, resetAt: Date.now() + leftMs }, 'reset-before', { status: 503 }],
  );
  const smtpFaults: SmtpFault[] = [451, 'accept-then-drop', 421, 'hang', 'drop-after-data'];
  const smtp = turn<SmtpFault>('email', () => smtpFaults, () => smtpFaults);
  return { counted, twilio, graph, x, smtp };
}
