import type { ServiceIdentifier } from 'inversify';
import type { Alert, DeliveryState } from '../domain/alert.js';
import type { Budget } from '../domain/budget.js';
import type { Category, Expense } from '../domain/expense.js';
import type { MonthTotals } from '../domain/month-totals.js';

/** What a write to an expense answers: the expense and the alerts the write raised. */
export interface ExpenseWriteResult {
  expense: Expense;
  alerts: Alert[];
}

export interface VersionedMonth {
  totals: MonthTotals;
  /** 0 while the month has never been written. */
  version: number;
}

export interface ListExpensesQuery {
  month: string;
  category?: Category;
  limit: number;
  cursor?: string;
}

export interface ExpensePage {
  items: Expense[];
  nextCursor: string | null;
}

export interface IdempotencyRecord {
  fingerprint: string;
  response: ExpenseWriteResult;
}

export type ExpenseWrite =
  | { kind: 'create'; expense: Expense }
  | { kind: 'replace'; expense: Expense }
  | { kind: 'delete'; expense: Expense };

/** Everything one user action changes, committed all-or-nothing. */
export interface LedgerChange {
  expense?: ExpenseWrite;
  /** New totals per month, each written only if the month is still at `expectedVersion`. */
  months: { totals: MonthTotals; expectedVersion: number }[];
  newAlerts: Alert[];
  budget?: Budget;
  /** Written unless a record for `key` exists that has not expired at `now`. */
  idempotency?: { key: string; record: IdempotencyRecord; now: Date; expiresAt: Date };
}

/** Storage of one user's expenses, month totals, budget and alerts. */
export interface LedgerRepository {
  getExpense(userId: string, id: string): Promise<Expense | null>;
  /** Newest date first. Throws ValidationError for a cursor it did not issue for this query. */
  listExpenses(userId: string, query: ListExpensesQuery): Promise<ExpensePage>;
  /** Strongly consistent: writes build on what it returns. */
  getMonths(userId: string, months: string[]): Promise<VersionedMonth[]>;
  getBudget(userId: string): Promise<Budget | null>;
  /**
   * A month's totals and the budget in one eventually consistent read (on AWS it may trail a
   * write by up to about a second): for showing a month, never for deciding a write.
   */
  getMonthAndBudget(userId: string, month: string): Promise<{ totals: MonthTotals; budget: Budget | null }>;
  /** Null when absent or expired at `now`. */
  getIdempotencyRecord(userId: string, key: string, now: Date): Promise<IdempotencyRecord | null>;
  /**
   * Applies the whole change atomically, or nothing. Throws ConcurrentChangeError when a month
   * moved past its expected version or the expense appeared/vanished meanwhile, and
   * IdempotencyKeyTakenError when the idempotency key was recorded meanwhile.
   */
  commit(userId: string, change: LedgerChange): Promise<void>;
  /** Oldest first. */
  listAlerts(userId: string, month: string): Promise<Alert[]>;
  /** Pending alerts of any user whose next delivery attempt is due at `now`, oldest due first. */
  listDueAlerts(now: Date, limit: number): Promise<{ userId: string; alert: Alert }[]>;
  /**
   * Takes the right to deliver a pending alert for `leaseMs` (so two deliverers never both send
   * it) and counts the attempt. Null when it is not pending or another deliverer holds it.
   */
  claimAlertDelivery(userId: string, alertId: string, now: Date, leaseMs: number): Promise<{ attempts: number } | null>;
  /** Records the outcome and releases the claim; 'pending' means "try again from `retryAt`". */
  settleAlertDelivery(userId: string, alertId: string, delivery: DeliveryState, retryAt?: Date): Promise<void>;
}

/** Sends alerts to the people they concern. */
export interface Notifier {
  publish(userId: string, alert: Alert, currency: string): Promise<void>;
  /** Makes `email` receive this user's alerts from now on. */
  subscribe(userId: string, email: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** A write lost a race with another write to the same month or expense; safe to retry. */
export class ConcurrentChangeError extends Error {}

export class IdempotencyKeyTakenError extends Error {}

/** A dependency stayed throttled, slow or contended after retries: try again later (HTTP 503). */
export class DependencyUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds = 1) {
    super(message);
  }
}

export const TOKENS = {
  LedgerRepository: Symbol.for('LedgerRepository') as ServiceIdentifier<LedgerRepository>,
  Notifier: Symbol.for('Notifier') as ServiceIdentifier<Notifier>,
  Clock: Symbol.for('Clock') as ServiceIdentifier<Clock>,
  Logger: Symbol.for('Logger') as ServiceIdentifier<Logger>,
};
