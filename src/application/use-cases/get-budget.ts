import { inject, injectable } from 'inversify';
import type { Budget } from '../../domain/budget.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class GetBudget {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  async execute(userId: string): Promise<Budget> {
    return (await this.ledger.getBudget(userId)).record.budget;
  }
}
