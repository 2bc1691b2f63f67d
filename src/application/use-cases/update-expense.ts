import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import { monthOf, toExpenseDetails, type Expense, type ExpenseInput } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { budgetWrite, expenseRules, rejectInvalidInput, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { MonthWriter } from '../month-writes.js';
import { TOKENS, type Clock, type ExpenseWriteResult, type LedgerRepository } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';

/** Replaces an expense's details; it may move to another month, and both months' totals follow. */
@injectable()
export class UpdateExpense {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  /** `problems`: what the edge already found wrong with the input (refused with the amount's, if any). */
  async execute(userId: string, id: string, input: ExpenseInput, problems: Record<string, string> = {}): Promise<ExpenseWriteResult> {
    await rejectInvalidInput(this.ledger, userId, input, problems);
    const now = this.clock.now();
    const { expense, alerts, budgetRecord } = await this.writes.run(userId, () => retryOnConflict(async () => {
      const previous = await this.ledger.getExpense(userId, id);
      if (!previous) throw new NotFoundError(`No expense with id ${id}`);
      const oldMonth = monthOf(previous.date);
      const newMonth = monthOf(input.date);
      const read = await this.monthWriter.read(userId, [oldMonth, newMonth], now);
      const { budget } = read;
      const totalsOf = (month: string) => read.months.get(month)!.totals;
      // A PUT replaces the details: a description or original amount left out is removed.
      const { description: _description, original: _original, ...kept } = previous;
      const updated: Expense = { ...kept, ...toExpenseDetails(input, expenseRules(budget.record, previous.category)), updatedAt: now.toISOString() };
      const changed = oldMonth === newMonth
        ? [applyExpenseChange(totalsOf(oldMonth), previous, updated)]
        : [applyExpenseChange(totalsOf(oldMonth), previous, null), applyExpenseChange(totalsOf(newMonth), null, updated)];
      const change = await this.monthWriter.plan(userId, read, changed, now);
      await this.ledger.commit(userId, { ...change, expense: { kind: 'replace', expense: updated, previous }, budget: budgetWrite(budget, this.writeRateLimit, now) });
      return { expense: updated, alerts: change.newAlerts, budgetRecord: budget.record };
    }));
    return { expense, currency: budgetRecord.budget.currency, alerts: await this.deliverAlerts.afterCommit(userId, alerts, budgetRecord) };
  }
}
