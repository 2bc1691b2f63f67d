import { inject, injectable } from 'inversify';
import { TOKENS, type BudgetRecord, type Clock, type LedgerRepository, type Logger, type Notifier } from '../ports.js';

/** A failed unsubscribe is tried again this much later (the scheduled pass runs every 5 minutes). */
const RETRY_MS = 10 * 60 * 1000;
const RETRY_BATCH = 100;

/**
 * Ends the SNS subscriptions of addresses a user no longer uses. They were recorded as stale in
 * the same write that changed the address, so an SNS outage only delays this: the scheduled pass
 * retries until SNS confirms. Unsubscribing is by ARN and an ARN is never reused, so a late or
 * repeated attempt cannot touch the subscription of the current address.
 */
@injectable()
export class UnsubscribeStaleAddresses {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Notifier) private readonly notifier: Notifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /** Best effort, right after the address changed: what fails stays recorded for the retry pass. */
  async afterCommit(userId: string, budget: BudgetRecord): Promise<void> {
    try {
      await this.unsubscribe(userId, budget);
    } catch (error) {
      this.logger.error('unsubscribing deferred', { userId, error: String(error) });
    }
  }

  /** The retry path: every user whose stale subscriptions are due, until `deadline`. */
  async retryDue(deadline?: Date): Promise<number> {
    const users = await this.ledger.listDueUnsubscribes(this.clock.now(), RETRY_BATCH);
    let done = 0;
    for (const userId of users) {
      if (deadline && this.clock.now() >= deadline) break;
      await this.unsubscribe(userId, (await this.ledger.getBudget(userId)).record);
      done += 1;
    }
    return done;
  }

  private async unsubscribe(userId: string, budget: BudgetRecord): Promise<void> {
    for (const subscriptionArn of Object.keys(budget.staleSubscriptions)) {
      try {
        await this.notifier.unsubscribe(subscriptionArn);
      } catch (error) {
        this.logger.error('unsubscribe failed', { userId, subscriptionArn, error: String(error) });
        await this.ledger.postponeUnsubscribes(userId, new Date(this.clock.now().getTime() + RETRY_MS));
        return;
      }
      await this.ledger.forgetStaleSubscription(userId, subscriptionArn);
    }
  }
}
