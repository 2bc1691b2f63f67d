import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { DEFAULT_BUDGET } from '../../domain/budget.js';
import { TOKENS, type Clock, type LedgerRepository, type Logger, type Notifier } from '../ports.js';

/** After this many failed publishes an alert is marked failed instead of retried forever. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** How long a deliverer holds an alert; a crashed deliverer's claim lapses after it. */
export const DELIVERY_LEASE_MS = 60_000;

/**
 * Publishes recorded alerts. The alert was committed together with the expense change, so a
 * failed publish loses nothing: the alert stays pending and a later retry delivers it. The
 * claim step makes concurrent deliverers (the API after a write, the stream retry) send it once.
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

  /** The retry path: every alert of this user still waiting for delivery. */
  async retryPending(userId: string): Promise<Alert[]> {
    return this.execute(userId, await this.ledger.listPendingAlerts(userId));
  }

  private async deliverOne(userId: string, alert: Alert, currency: string): Promise<Alert> {
    const claim = await this.ledger.claimAlertDelivery(userId, alert.id, this.clock.now(), DELIVERY_LEASE_MS);
    if (!claim) return alert;
    try {
      await this.notifier.publish(userId, alert, currency);
    } catch (error) {
      const delivery = claim.attempts >= MAX_DELIVERY_ATTEMPTS ? 'failed' : 'pending';
      this.logger.error('alert delivery failed', { userId, alertId: alert.id, attempts: claim.attempts, delivery, error: String(error) });
      await this.ledger.settleAlertDelivery(userId, alert.id, delivery);
      return { ...alert, delivery };
    }
    await this.ledger.settleAlertDelivery(userId, alert.id, 'sent');
    return { ...alert, delivery: 'sent' };
  }
}
