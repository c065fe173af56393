import { AdminError, invalid, zodProblems } from '../admin/admin-error.ts';
import type { Caller } from '../admin/admin-service.ts';
import { mayRead } from '../admin/permissions.ts';
import type { Config } from '../config/schema.ts';
import type { Campaign, CampaignState } from '../store/campaign-store.ts';
import type { Store } from '../store/store.ts';
import { audienceQuery, CampaignInput, campaignProblem } from './campaign-rules.ts';
import { previewOf, type CampaignPreview } from './campaign-preview.ts';

/** what the campaign side of config says: the DLT ids, the rate and the cost of a segment */
export type CampaignConfig = Readonly<Pick<Config, 'channels' | 'campaigns' | 'defaults'>>;

export interface CampaignServiceOptions {
  store: Store;
  config: CampaignConfig;
  now?: () => Date;
}

// a campaign scheduled further ahead than this is a typo of the year
const MOST_AHEAD_MS = 366 * 86_400_000;

/**
 * One service for every way staff run campaigns (the admin API, its page, the CLI): each refuses the same input
 * the same way, and each change is audited. Sending is the sender's (campaign-sender.ts).
 */
export class CampaignService {
  private readonly now: () => Date;

  constructor(private readonly o: CampaignServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  private may(caller: Caller): void {
    // the call centre's supervisors and admins (src/admin/permissions.ts); an officer works tickets
    if (!mayRead(caller.role, 'campaigns')) throw new AdminError(403, `a ${caller.role} may not run campaigns (a supervisor or an admin may)`);
  }

  private async found(id: string): Promise<Campaign> {
    const campaign = await this.o.store.campaigns.get(id);
    if (!campaign) throw new AdminError(404, `no campaign ${id}: see the list (pmc-bridge campaigns list, GET /admin/api/campaigns)`);
    return campaign;
  }

  async list(caller: Caller, state?: CampaignState): Promise<Campaign[]> {
    this.may(caller);
    return this.o.store.campaigns.list(state ? { state } : {});
  }

  async get(caller: Caller, id: string): Promise<Campaign> {
    this.may(caller);
    return this.found(id);
  }

  /** a draft: nothing is sent until it is scheduled */
  async create(caller: Caller, body: unknown): Promise<Campaign> {
    this.may(caller);
    const parsed = CampaignInput.safeParse(body);
    if (!parsed.success) throw invalid(zodProblems(parsed.error.issues));
    // a ward misspelt would make an audience of no one, silently
    const wards = parsed.data.audience.wards ?? [];
    if (wards.length > 0) {
      const known = new Set((await this.o.store.admin.listRecords('ward')).map((r) => r.id));
      const unknown = wards.flatMap((w, i) => (known.has(w) ? [] : [{ field: `audience.wards.${i}`, message: `no ward office "${w}" (the ward offices' ids are on /admin/api/wards)` }]));
      if (unknown.length > 0) throw invalid(unknown);
    }
    const at = this.now();
    const campaign = await this.o.store.campaigns.create({ ...parsed.data, createdBy: caller.ref }, at);
    await this.o.store.admin.appendAudit({ actor: caller.ref, action: 'create', kind: 'campaign', recordId: campaign.id, after: campaign }, at);
    return campaign;
  }

  async preview(caller: Caller, id: string): Promise<CampaignPreview> {
    this.may(caller);
    const campaign = await this.found(id);
    const sizes = await this.o.store.campaigns.audienceSize(audienceQuery(campaign, this.o.config.defaults.language));
    return previewOf(campaign, sizes, this.o.config.campaigns.smsSegmentCost, campaignProblem(campaign, this.o.config));
  }

  /** from draft (or scheduled: a new time); `at` absent: now. Refused while a DLT id the campaign needs is missing. */
  async schedule(caller: Caller, id: string, at?: Date): Promise<Campaign> {
    this.may(caller);
    const campaign = await this.found(id);
    const now = this.now();
    const when = at ?? now;
    if (Number.isNaN(when.getTime())) throw invalid([{ field: 'at', message: 'must be a date and time, like 2026-12-05T10:00:00+05:30' }]);
    if (when.getTime() - now.getTime() > MOST_AHEAD_MS) throw invalid([{ field: 'at', message: 'must be within a year from now' }]);
    const problem = campaignProblem(campaign, this.o.config);
    if (problem) throw new AdminError(409, `campaign ${id} cannot be scheduled: ${problem}`);
    const moved = await this.o.store.campaigns.transition(id, ['draft', 'scheduled'], 'scheduled', now, when);
    if (!moved) throw new AdminError(409, `campaign ${id} is ${campaign.state}: only a draft or a scheduled campaign can be scheduled`);
    await this.o.store.admin.appendAudit({ actor: caller.ref, action: 'schedule', kind: 'campaign', recordId: id, before: { state: campaign.state }, after: { state: moved.state, scheduledAt: moved.scheduledAt } }, now);
    return moved;
  }

  /** stops it: nothing more is queued, and what is queued but not sent is not sent */
  async cancel(caller: Caller, id: string): Promise<Campaign> {
    this.may(caller);
    const campaign = await this.found(id);
    const now = this.now();
    const moved = await this.o.store.campaigns.transition(id, ['draft', 'scheduled', 'sending'], 'cancelled', now);
    if (!moved) throw new AdminError(409, `campaign ${id} is ${campaign.state}: it cannot be cancelled`);
    await this.o.store.admin.appendAudit({ actor: caller.ref, action: 'cancel', kind: 'campaign', recordId: id, before: { state: campaign.state }, after: { state: 'cancelled', counts: moved.counts } }, now);
    return moved;
  }
}
