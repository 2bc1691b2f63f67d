import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import { monthOf } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { budgetWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { MonthWriter } from '../month-writes.js';
import { TOKENS, type Clock, type LedgerRepository } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';

@injectable()
export class DeleteExpense {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string): Promise<void> {
    const now = this.clock.now();
    const { alerts, budgetRecord } = await this.writes.run(userId, () => retryOnConflict(async () => {
      const expense = await this.ledger.getExpense(userId, id);
      if (!expense) throw new NotFoundError(`No expense with id ${id}`);
      // Spending falls, yet the rule still runs: a budget change only evaluates the current month,
      // so a past month can be over a threshold it never alerted (found by the model-based test).
      const read = await this.monthWriter.read(userId, [monthOf(expense.date)], now);
      const { budget } = read;
      const change = await this.monthWriter.plan(userId, read, [applyExpenseChange(read.months.get(monthOf(expense.date))!.totals, expense, null)], now);
      await this.ledger.commit(userId, { ...change, expense: { kind: 'delete', expense }, budget: budgetWrite(budget, this.writeRateLimit, now) });
      return { alerts: change.newAlerts, budgetRecord: budget.record };
    }));
    await this.deliverAlerts.afterCommit(userId, alerts, budgetRecord);
  }
}
