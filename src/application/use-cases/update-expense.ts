import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import { monthOf, type Expense, type ExpenseDetails } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { budgetWrite, monthWritesWithAlerts, readForWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { TOKENS, type Clock, type ExpenseWriteResult, type LedgerRepository } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';

/** Replaces an expense's details; it may move to another month, and both months' totals follow. */
@injectable()
export class UpdateExpense {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, id: string, details: ExpenseDetails): Promise<ExpenseWriteResult> {
    const now = this.clock.now();
    const { expense, alerts, budgetRecord } = await this.writes.run(userId, () => retryOnConflict(async () => {
      const previous = await this.ledger.getExpense(userId, id);
      if (!previous) throw new NotFoundError(`No expense with id ${id}`);
      const { description: _dropped, ...kept } = previous;
      const updated: Expense = { ...kept, ...details, updatedAt: now.toISOString() };
      const oldMonth = monthOf(previous.date);
      const newMonth = monthOf(updated.date);
      const { budget, months } = await readForWrite(this.ledger, userId, [oldMonth, newMonth]);
      const updates = oldMonth === newMonth
        ? [{ before: months[0]!, after: applyExpenseChange(months[0]!.totals, previous, updated) }]
        : [
            { before: months[0]!, after: applyExpenseChange(months[0]!.totals, previous, null) },
            { before: months[1]!, after: applyExpenseChange(months[1]!.totals, null, updated) },
          ];
      const change = monthWritesWithAlerts(updates, budget.record.budget, now);
      await this.ledger.commit(userId, { ...change, expense: { kind: 'replace', expense: updated, previous }, budget: budgetWrite(budget, this.writeRateLimit, now) });
      return { expense: updated, alerts: change.newAlerts, budgetRecord: budget.record };
    }));
    return { expense, alerts: await this.deliverAlerts.afterCommit(userId, alerts, budgetRecord) };
  }
}
