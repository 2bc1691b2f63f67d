import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class ListAlerts {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  /** The month's alerts and the budget's currency, whose decimals their amounts are shown with. */
  async execute(userId: string, month: string): Promise<{ alerts: Alert[]; currency: string }> {
    const [alerts, budget] = await Promise.all([this.ledger.listAlerts(userId, month), this.ledger.getBudget(userId)]);
    return { alerts, currency: budget.record.budget.currency };
  }
}
