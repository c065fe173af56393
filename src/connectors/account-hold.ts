import type { Channel } from '../model/index.ts';
import { HeldSendError, type HealthReporter } from './connector.ts';

// an account whose credentials were refused is asked again this often (one real call); its other replies wait
export const PROBE_EVERY_MS = 5 * 60_000;

/**
 * The accounts of one channel whose credentials the provider refused (a page token revoked, X keys renewed): their
 * replies are held without calling the provider, but for one real try every PROBE_EVERY_MS, and the health
 * reporter says who must act. Shared by the connectors whose accounts can be refused.
 */
export class AccountHold {
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly channel: Channel,
    private readonly health: HealthReporter,
    /** which credential it holds for (email: "smtp", apart from the mailbox's IMAP login); "account" by default */
    private readonly source?: string,
  ) {}

  /**
   * Throws HeldSendError (saying `waiting`) while the account waits and this is not its probe. The first call due
   * after PROBE_EVERY_MS is the probe and starts the clock again, so every other call waits for its outcome: it
   * works (worked(): the health's onRecovered releases the held replies) or it is refused (a new wait); any other
   * failure tells nothing of the credentials, and the next probe is the one PROBE_EVERY_MS later.
   */
  check(accountId: string, now: number, waiting: string): void {
    const refused = this.refusedAt.get(accountId);
    if (refused === undefined || !this.health.isUnauthorised(this.channel, accountId)) return;
    const waited = now - refused;
    if (waited < PROBE_EVERY_MS) throw new HeldSendError(waiting, PROBE_EVERY_MS - waited);
    this.refusedAt.set(accountId, now);
  }

  /** the provider refused the account's credentials: the error to throw, the account marked for a person */
  refused(accountId: string, now: number, said: string, action: string, message: string): HeldSendError {
    this.refusedAt.set(accountId, now);
    this.health.unauthorised(this.channel, accountId, said, action, this.source);
    return new HeldSendError(message, PROBE_EVERY_MS);
  }

  /** a call with the account's credentials worked */
  worked(accountId: string): void {
    this.refusedAt.delete(accountId);
    this.health.ok(this.channel, accountId, this.source);
  }
}
