import { inject, injectable } from 'inversify';
import type { Budget } from '../../domain/budget.js';
import { monthWritesWithAlerts, readForWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { TOKENS, type Clock, type LedgerRepository, type Notifier } from '../ports.js';
import { DeliverAlerts } from './deliver-alerts.js';

/**
 * Replaces the budget and applies it to the current month at once: lowering a limit below what
 * was already spent alerts now, not at the next expense.
 */
@injectable()
export class SetBudget {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Notifier) private readonly notifier: Notifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
  ) {}

  async execute(userId: string, budget: Budget): Promise<Budget> {
    const now = this.clock.now();
    const previous = await this.ledger.getBudget(userId);
    // Subscribe before saving: if it fails nothing is saved and the request can simply be repeated
    // (subscribing the same address twice is harmless).
    if (budget.alertEmail && budget.alertEmail !== previous?.alertEmail) {
      await this.notifier.subscribe(userId, budget.alertEmail);
    }
    const currentMonth = now.toISOString().slice(0, 7);
    const alerts = await this.writes.run(userId, () => retryOnConflict(async () => {
      const { months: [month] } = await readForWrite(this.ledger, userId, [currentMonth]);
      // The month is written (its version moves) even without alerts, so a concurrent expense
      // write that read the old budget retries with this one.
      const change = monthWritesWithAlerts([{ before: month!, after: month!.totals }], budget, now);
      await this.ledger.commit(userId, { ...change, budget });
      return change.newAlerts;
    }));
    await this.deliverAlerts.execute(userId, alerts, budget.currency);
    return budget;
  }
}
