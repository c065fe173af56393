import { dltFor } from '../connectors/sms/dlt.ts';
import type { Connector } from '../connectors/connector.ts';
import type { OutboundMessage } from '../model/index.ts';
import { renderReply } from '../render/render-reply.ts';
import type { SweepTask } from '../pipeline/sweep-task.ts';
import { campaignKey, type AudienceMember, type Campaign, type Reachable } from '../store/campaign-store.ts';
import { audienceQuery, campaignProblem } from './campaign-rules.ts';
import { inQuietHours } from './quiet-hours.ts';
import type { NotifyDeps } from './tasks.ts';

const EVERY_MS = 1000;
// contacts read at a time; a batch and its cursor are one write
const PAGE = 500;
// after a pause (a long sweep, a restart) the sender does not catch up in one burst: at most this much is owed
const MOST_OWED_MS = 10_000;
// a page is read this many times a run at most, however many contacts in it are skipped
const MOST_PAGES = 20;
const DAY_MS = 86_400_000;

/**
 * Sends each campaign whose time has come: its audience read in pages after the campaign's cursor, a message per
 * contact on their own channel, each with the key `campaign:<id>:<contact>`, written with the cursor in one step.
 * The rate is real: each run queues what `campaigns.perSecond` allows since the last run, across all campaigns,
 * and the outbox sends at once. Nothing is queued during quiet hours. A SIGKILL anywhere loses nothing and repeats
 * nothing: a batch is in the store with its cursor or not at all, and the key stops a second entry.
 */
export function campaignSender(deps: NotifyDeps): SweepTask {
  let lastRunAt: number | undefined;
  let owed = 0;
  const refused = new Set<string>();
  const connectors = new Map<string, Connector>(deps.connectors.map((c) => [c.channel, c]));
  const sms = connectors.get('sms');

  /** where an unsolicited message can reach this contact now, or undefined (skipped, counted) */
  async function addressOf(member: AudienceMember, now: Date): Promise<Reachable | undefined> {
    if (member.phone && sms?.accountIds[0]) return { channel: 'sms', accountId: sms.accountIds[0], threadKey: member.phone, to: member.phone, at: now.toISOString() };
    const wrote = await deps.store.campaigns.lastReachable(member.contactId);
    const last = [member.optedInVia, wrote].filter((r): r is Reachable => r !== undefined).sort((a, b) => b.at.localeCompare(a.at))[0];
    if (!last) return undefined;
    const connector = connectors.get(last.channel);
    if (!connector) return undefined;
    switch (last.channel) {
      case 'sms':
      case 'email':
        return last;
      case 'facebook':
        // Messenger lets a page write freely only within 24 hours of the citizen's last message (no tag fits an announcement)
        return now.getTime() - Date.parse(last.at) < DAY_MS - 60_000 ? last : undefined;
      case 'webchat':
        // an ended web chat has no one reading it
        return connector.canReach && (await connector.canReach(last.threadKey)) ? last : undefined;
      default:
        // X: a DM to many citizens at once is against its automation rules, and a mention is public; an agent's call or
        // a Lokshahi form has no way back
        return undefined;
    }
  }

  function messageFor(campaign: Campaign, member: AudienceMember, to: Reachable): OutboundMessage {
    const text = campaign.texts[member.language]!;
    const base = { channel: to.channel, accountId: to.accountId, threadKey: to.threadKey, to: to.to, language: member.language, kind: 'campaign' as const, campaignId: campaign.id, idempotencyKey: campaignKey(campaign.id, member.contactId) };
    if (to.channel === 'sms') {
      // as written: the operators match the text against the registered DLT template, so it is never shortened
      const dlt = dltFor('campaign', deps.config.channels.sms.dlt);
      return { ...base, text, ...(dlt ? { dlt } : {}) };
    }
    const limits = connectors.get(to.channel)?.limits ?? {};
    const rendered = renderReply({ text }, { channel: to.channel, limits, language: member.language, messages: deps.messages });
    // a mail's subject is the campaign's name, not the complaint acknowledgement's
    return { ...base, text: rendered.text, ...(rendered.subject ? { subject: campaign.name } : {}) };
  }

  /** one campaign, up to `budget` messages; how many it queued */
  async function sendSome(campaign: Campaign, budget: number, now: Date, queued: number[]): Promise<number> {
    const query = audienceQuery(campaign, deps.config.defaults.language);
    let cursor = campaign.cursor;
    let used = 0;
    for (let page = 0; page < MOST_PAGES && used < budget; page++) {
      const want = Math.min(PAGE, budget - used);
      const members = await deps.store.campaigns.audience(query, cursor, want);
      const done = members.length < want;
      const messages: OutboundMessage[] = [];
      for (const m of members) {
        const to = await addressOf(m, now);
        if (to) messages.push(messageFor(campaign, m, to));
      }
      const next = members.at(-1)?.contactId ?? cursor ?? '';
      const batch = { from: cursor, to: next, messages, skipped: members.length - messages.length, done };
      const written = await deps.store.campaigns.recordBatch(campaign.id, batch, now);
      // cancelled meanwhile, or another process wrote this batch: leave it to the next run
      if (!written.applied) break;
      queued.push(...written.outboxIds);
      used += messages.length;
      cursor = next;
      if (done) {
        const fresh = await deps.store.campaigns.get(campaign.id);
        deps.logger.info({ campaign: campaign.id, ...fresh?.counts }, 'campaign sent to its whole audience');
        break;
      }
    }
    return used;
  }

  return {
    name: 'campaigns',
    everyMs: EVERY_MS,
    async run(now: Date): Promise<number[]> {
      const due = await deps.store.campaigns.listDue(now);
      // nothing is queued in quiet hours, so the morning does not start with the whole night's backlog at once
      if (due.length === 0 || inQuietHours(now, deps.config.notify.quietHours)) {
        lastRunAt = undefined;
        owed = 0;
        return [];
      }
      const elapsed = lastRunAt === undefined ? EVERY_MS : Math.min(Math.max(0, now.getTime() - lastRunAt), MOST_OWED_MS);
      lastRunAt = now.getTime();
      owed += (deps.config.campaigns.perSecond * elapsed) / 1000;
      let budget = Math.floor(owed);
      owed -= budget;
      const queued: number[] = [];
      for (let campaign of due) {
        if (budget <= 0) break;
        // checked at every run: config changed since it was scheduled (a template id removed) holds it until fixed
        const problem = campaignProblem(campaign, deps.config);
        if (problem) {
          if (!refused.has(campaign.id)) deps.logger.error({ campaign: campaign.id }, `campaign held: ${problem}`);
          refused.add(campaign.id);
          continue;
        }
        refused.delete(campaign.id);
        if (campaign.state === 'scheduled') {
          const started = await deps.store.campaigns.transition(campaign.id, ['scheduled'], 'sending', now);
          if (!started) continue;
          deps.logger.info({ campaign: campaign.id }, 'campaign started');
          campaign = started;
        }
        budget -= await sendSome(campaign, budget, now, queued);
      }
      // what was not used is not owed: a campaign that ends mid-second does not let the next one burst
      if (budget > 0) owed = 0;
      return queued;
    },
  };
}
