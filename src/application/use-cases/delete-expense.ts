import { inject, injectable } from 'inversify';
import { NotFoundError } from '../../domain/errors.js';
import { monthOf } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { retryOnConflict } from '../ledger-write.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class DeleteExpense {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  async execute(userId: string, id: string): Promise<void> {
    await retryOnConflict(async () => {
      const expense = await this.ledger.getExpense(userId, id);
      if (!expense) throw new NotFoundError(`No expense with id ${id}`);
      const [month] = await this.ledger.getMonths(userId, [monthOf(expense.date)]);
      // Spending only falls here, so no threshold can be newly reached: no alerts to raise.
      await this.ledger.commit(userId, {
        expense: { kind: 'delete', expense },
        months: [{ totals: applyExpenseChange(month!.totals, expense, null), expectedVersion: month!.version }],
        newAlerts: [],
      });
    });
  }
}
