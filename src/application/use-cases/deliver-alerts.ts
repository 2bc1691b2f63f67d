import { inject, injectable } from 'inversify';
import type { Alert, DeliveryState } from '../../domain/alert.js';
import { TOKENS, type BudgetRecord, type Clock, type DeliveryClaim, type LedgerRepository, type Logger, type Notifier } from '../ports.js';

/** After this many failed publishes an alert is marked failed; the backoff below spans about 4 hours. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** How long a deliverer holds an alert; a crashed deliverer's claim lapses after it. */
export const DELIVERY_LEASE_MS = 60_000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 2 * 60 * 60 * 1000;
/** How many due alerts one retry pass takes on. */
const RETRY_BATCH = 100;
/** Recording an outcome is retried this often: a publish whose outcome is lost would be sent again. */
const SETTLE_ATTEMPTS = 3;

/** Wait before the next attempt: 30 s, 1 min, 2 min ... doubling, at most 2 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
}

/**
 * Publishes recorded alerts. The alert was committed together with the expense change, so a
 * failed publish loses nothing: the alert stays pending with the time of its next attempt, and
 * the scheduled retry pass delivers it once the notifier is back. The claim step makes
 * concurrent deliverers (the API after a write, the stream, the retry pass) send it once.
 */
@injectable()
export class DeliverAlerts {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Notifier) private readonly notifier: Notifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  /**
   * Tries each alert once; returns them with their delivery state afterwards. Throws when the
   * ledger cannot be reached (the stream then retries the record). `budget` saves a read when
   * the caller has just read it.
   */
  async execute(userId: string, alerts: Alert[], budget?: BudgetRecord): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    const record = budget ?? (await this.ledger.getBudget(userId)).record;
    const results: Alert[] = [];
    for (const alert of alerts) results.push(await this.deliverOne(userId, alert, record));
    return results;
  }

  /**
   * Delivery right after a committed write: best effort. The write has happened, so a failure
   * here must not turn its answer into an error; the alert stays pending for the retry pass.
   */
  async afterCommit(userId: string, alerts: Alert[], budget: BudgetRecord): Promise<Alert[]> {
    const results: Alert[] = [];
    for (const alert of alerts) {
      try {
        results.push(...(await this.execute(userId, [alert], budget)));
      } catch (error) {
        this.logger.error('alert delivery deferred', { userId, alertId: alert.id, error: String(error) });
        results.push(alert);
      }
    }
    return results;
  }

  /** The retry path: every user's pending alerts whose next attempt is due, until `deadline`. */
  async retryDue(deadline?: Date): Promise<Alert[]> {
    const due = await this.ledger.listDueAlerts(this.clock.now(), RETRY_BATCH);
    const results: Alert[] = [];
    for (const { userId, alert } of due) {
      if (deadline && this.clock.now() >= deadline) break;
      results.push(...(await this.execute(userId, [alert])));
    }
    return results;
  }

  private async deliverOne(userId: string, alert: Alert, budget: BudgetRecord): Promise<Alert> {
    const now = this.clock.now();
    const claim = await this.ledger.claimAlertDelivery(userId, alert.id, now, DELIVERY_LEASE_MS);
    if (!claim) return alert;
    if (!budget.subscription) {
      await this.settle(userId, alert.id, claim, 'no_email');
      return { ...alert, delivery: 'no_email' };
    }
    try {
      await this.notifier.publish(alert, { userId, recipient: budget.subscription.recipient, currency: budget.budget.currency });
    } catch (error) {
      const delivery = claim.attempts >= MAX_DELIVERY_ATTEMPTS ? 'failed' : 'pending';
      const retryAt = new Date(now.getTime() + retryDelayMs(claim.attempts));
      this.logger.error('alert delivery failed', { userId, alertId: alert.id, attempts: claim.attempts, delivery, retryAt, error: String(error) });
      await this.settle(userId, alert.id, claim, delivery, retryAt);
      return { ...alert, delivery };
    }
    await this.settle(userId, alert.id, claim, 'sent');
    return { ...alert, delivery: 'sent' };
  }

  private async settle(userId: string, alertId: string, claim: DeliveryClaim, delivery: DeliveryState, retryAt?: Date): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ledger.settleAlertDelivery(userId, alertId, claim, delivery, retryAt);
      } catch (error) {
        if (attempt >= SETTLE_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}
