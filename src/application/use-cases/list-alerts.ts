import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { TOKENS, type LedgerRepository } from '../ports.js';

@injectable()
export class ListAlerts {
  constructor(@inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository) {}

  execute(userId: string, month: string): Promise<Alert[]> {
    return this.ledger.listAlerts(userId, month);
  }
}
