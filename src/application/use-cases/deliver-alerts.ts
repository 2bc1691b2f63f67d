import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { DEFAULT_BUDGET } from '../../domain/budget.js';
import { TOKENS, type Clock, type LedgerRepository, type Logger, type Notifier } from '../ports.js';

/** After this many failed publishes an alert is marked failed; the backoff below spans about 4 hours. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** How long a deliverer holds an alert; a crashed deliverer's claim lapses after it. */
export const DELIVERY_LEASE_MS = 60_000;
const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 2 * 60 * 60 * 1000;
/** How many due alerts one retry pass takes on. */
const RETRY_BATCH = 100;

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

  /** Tries each alert once; returns them with their delivery state afterwards. */
  async execute(userId: string, alerts: Alert[], currency?: string): Promise<Alert[]> {
    if (alerts.length === 0) return [];
    const unit = currency ?? (await this.ledger.getBudget(userId))?.currency ?? DEFAULT_BUDGET.currency;
    const results: Alert[] = [];
    for (const alert of alerts) results.push(await this.deliverOne(userId, alert, unit));
    return results;
  }

  /** The retry path: every user's pending alerts whose next attempt is due. */
  async retryDue(): Promise<Alert[]> {
    const due = await this.ledger.listDueAlerts(this.clock.now(), RETRY_BATCH);
    const results: Alert[] = [];
    for (const { userId, alert } of due) results.push(...(await this.execute(userId, [alert])));
    return results;
  }

  private async deliverOne(userId: string, alert: Alert, currency: string): Promise<Alert> {
    const now = this.clock.now();
    const claim = await this.ledger.claimAlertDelivery(userId, alert.id, now, DELIVERY_LEASE_MS);
    if (!claim) return alert;
    try {
      await this.notifier.publish(userId, alert, currency);
    } catch (error) {
      const delivery = claim.attempts >= MAX_DELIVERY_ATTEMPTS ? 'failed' : 'pending';
      const retryAt = new Date(now.getTime() + retryDelayMs(claim.attempts));
      this.logger.error('alert delivery failed', { userId, alertId: alert.id, attempts: claim.attempts, delivery, retryAt, error: String(error) });
      await this.ledger.settleAlertDelivery(userId, alert.id, delivery, retryAt);
      return { ...alert, delivery };
    }
    await this.ledger.settleAlertDelivery(userId, alert.id, 'sent');
    return { ...alert, delivery: 'sent' };
  }
}
