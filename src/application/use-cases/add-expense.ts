import { createHash, randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { IdempotencyKeyReusedError } from '../../domain/errors.js';
import { monthOf, type Expense, type ExpenseDetails } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { budgetWrite, monthWritesWithAlerts, readForWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { IdempotencyKeyTakenError, TOKENS, type Clock, type BudgetRecord, type ExpenseWriteResult, type LedgerRepository } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';

/** How long an Idempotency-Key is remembered. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

@injectable()
export class AddExpense {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, details: ExpenseDetails, idempotencyKey?: string): Promise<ExpenseWriteResult> {
    // Only requests that carry a key need the fingerprint (a SHA-256 per add is not free).
    const fingerprint = idempotencyKey ? fingerprintOf(details) : '';
    if (idempotencyKey) {
      const replay = await this.replay(userId, idempotencyKey, fingerprint, this.clock.now());
      if (replay) return replay;
    }
    const now = this.clock.now();
    const expense: Expense = { id: randomUUID(), ...details, createdAt: now.toISOString(), updatedAt: now.toISOString() };
    let budgetRecord: BudgetRecord;
    let alerts;
    try {
      ({ budgetRecord, alerts } = await this.writes.run(userId, () => retryOnConflict(async () => {
        const { budget, months: [month] } = await readForWrite(this.ledger, userId, [monthOf(expense.date)]);
        const change = monthWritesWithAlerts([{ before: month!, after: applyExpenseChange(month!.totals, null, expense) }], budget.record.budget, now);
        await this.ledger.commit(userId, {
          ...change,
          expense: { kind: 'create', expense },
          budget: budgetWrite(budget, this.writeRateLimit, now),
          idempotency: idempotencyKey
            ? { key: idempotencyKey, record: { fingerprint, response: { expense, alerts: change.newAlerts } }, now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) }
            : undefined,
        });
        return { budgetRecord: budget.record, alerts: change.newAlerts };
      })));
    } catch (error) {
      // A concurrent request with the same key committed first: answer as it did.
      if (error instanceof IdempotencyKeyTakenError && idempotencyKey) {
        const replay = await this.replay(userId, idempotencyKey, fingerprint, now);
        if (replay) return replay;
      }
      throw error;
    }
    return { expense, alerts: await this.deliverAlerts.afterCommit(userId, alerts, budgetRecord) };
  }

  private async replay(userId: string, key: string, fingerprint: string, now: Date): Promise<ExpenseWriteResult | null> {
    const record = await this.ledger.getIdempotencyRecord(userId, key, now);
    if (!record) return null;
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    // The record was written before delivery; show the alerts as they are now, as the first response did.
    const { expense, alerts } = record.response;
    if (alerts.length === 0) return record.response;
    const current = new Map((await this.ledger.listAlerts(userId, alerts[0]!.month)).map((a) => [a.id, a]));
    return { expense, alerts: alerts.map((a) => current.get(a.id) ?? a) };
  }
}

function fingerprintOf(details: ExpenseDetails): string {
  const canonical = JSON.stringify([details.amount, details.category, details.date, details.description ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}
