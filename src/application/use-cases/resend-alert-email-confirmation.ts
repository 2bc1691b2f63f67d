import { inject, injectable } from 'inversify';
import { recordAlertEmailRequest } from '../../domain/alert-email.js';
import { ValidationError } from '../../domain/errors.js';
import { retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { TOKENS, type Clock, type LedgerRepository, type Notifier } from '../ports.js';

/**
 * Sends the subscription confirmation again, for a user who lost or never received it (SNS sends
 * a new confirmation when asked to subscribe an address still pending; a confirmed one gets
 * nothing). Counts against the same daily limit as address changes.
 */
@injectable()
export class ResendAlertEmailConfirmation {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Notifier) private readonly notifier: Notifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
  ) {}

  async execute(userId: string): Promise<{ alertEmail: string }> {
    const now = this.clock.now();
    return this.writes.run(userId, () => retryOnConflict(async () => {
      const { record, version } = await this.ledger.getBudget(userId);
      if (!record.subscription) throw new ValidationError({ alertEmail: 'is not set: set an alert address first' }, 'No alert address to confirm');
      const alertEmailRequests = recordAlertEmailRequest(record.alertEmailRequests, now);
      // Recorded first: a request that fails after SNS sent the mail still counts.
      await this.ledger.commit(userId, { months: [], newAlerts: [], budget: { record: { ...record, alertEmailRequests }, expectedVersion: version } });
      await this.notifier.subscribe(userId, record.subscription.email);
      return { alertEmail: record.subscription.email };
    }));
  }
}
