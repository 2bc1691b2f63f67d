import { createHash, randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { IdempotencyKeyReusedError } from '../../domain/errors.js';
import { monthOf, toExpenseDetails, type Expense, type ExpenseInput } from '../../domain/expense.js';
import { applyExpenseChange } from '../../domain/month-totals.js';
import { budgetWrite, expenseRules, rejectInvalidInput, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { MonthWriter } from '../month-writes.js';
import { IdempotencyKeyTakenError, TOKENS, type BudgetRecord, type Clock, type ExpenseWriteResult, type LedgerRepository } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';

/**
 * How long an Idempotency-Key is remembered: the page queues adds made offline and sends them with
 * their key when the phone is back online, which may be weeks later. A small item per add.
 */
const IDEMPOTENCY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

@injectable()
export class AddExpense {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  /** `problems`: what the edge already found wrong with the input (refused with the amount's, if any). */
  async execute(userId: string, input: ExpenseInput, idempotencyKey?: string, problems: Record<string, string> = {}): Promise<ExpenseWriteResult> {
    await rejectInvalidInput(this.ledger, userId, input, problems);
    // Only requests that carry a key need the fingerprint (a SHA-256 per add is not free).
    const fingerprint = idempotencyKey ? fingerprintOf(input) : '';
    if (idempotencyKey) {
      const replay = await this.replay(userId, idempotencyKey, fingerprint, this.clock.now());
      if (replay) return replay;
    }
    const now = this.clock.now();
    const id = randomUUID();
    let result: { expense: Expense; budgetRecord: BudgetRecord; alerts: Alert[] };
    try {
      result = await this.writes.run(userId, () => retryOnConflict(async () => {
        const read = await this.monthWriter.read(userId, [monthOf(input.date)], now);
        const { budget } = read;
        // The budget read here (currency, active categories) decides the input; the commit is conditional on it.
        const currency = budget.record.budget.currency;
        const expense: Expense = { id, ...toExpenseDetails(input, expenseRules(budget.record)), createdAt: now.toISOString(), updatedAt: now.toISOString() };
        const change = await this.monthWriter.plan(userId, read, [applyExpenseChange(read.months.get(monthOf(expense.date))!.totals, null, expense)], now);
        await this.ledger.commit(userId, {
          ...change,
          expense: { kind: 'create', expense },
          budget: budgetWrite(budget, this.writeRateLimit, now),
          idempotency: idempotencyKey
            ? { key: idempotencyKey, record: { fingerprint, response: { expense, alerts: change.newAlerts, currency } }, now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) }
            : undefined,
        });
        return { expense, budgetRecord: budget.record, alerts: change.newAlerts };
      }));
    } catch (error) {
      // A concurrent request with the same key committed first: answer as it did.
      if (error instanceof IdempotencyKeyTakenError && idempotencyKey) {
        const replay = await this.replay(userId, idempotencyKey, fingerprint, now);
        if (replay) return replay;
      }
      throw error;
    }
    const { expense, budgetRecord, alerts } = result;
    return { expense, currency: budgetRecord.budget.currency, alerts: await this.deliverAlerts.afterCommit(userId, alerts, budgetRecord) };
  }

  private async replay(userId: string, key: string, fingerprint: string, now: Date): Promise<ExpenseWriteResult | null> {
    const record = await this.ledger.getIdempotencyRecord(userId, key, now);
    if (!record) return null;
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    // The record was written before delivery; show the alerts as they are now, as the first response did.
    const { alerts } = record.response;
    if (alerts.length === 0) return record.response;
    const current = new Map((await this.ledger.listAlerts(userId, alerts[0]!.month)).map((a) => [a.id, a]));
    return { ...record.response, alerts: alerts.map((a) => current.get(a.id) ?? a) };
  }
}

function fingerprintOf(input: ExpenseInput): string {
  const original = input.original ? [input.original.amount, input.original.currency] : null;
  const canonical = JSON.stringify([input.amount, input.category, input.date, input.description ?? null, original]);
  return createHash('sha256').update(canonical).digest('hex');
}
