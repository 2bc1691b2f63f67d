import type { Alert } from '../../src/domain/alert.js';
import type { Budget } from '../../src/domain/budget.js';
import type { Expense, ExpenseDetails, ExpenseInput } from '../../src/domain/expense.js';
import { currencyDecimals } from '../../src/domain/money.js';
import type { WriteRateLimit } from '../../src/domain/write-rate.js';

/** For suites that write hundreds of times at one frozen instant: the per-user rate is not what they test. */
export const BULK_WRITES: WriteRateLimit = { burst: 100_000, refillPerSecond: 1 };

let sequence = 0;

export function expense(overrides: Partial<Expense> = {}): Expense {
  sequence += 1;
  const stamp = new Date(Date.UTC(2026, 10, 1, 12, 0, 0, sequence)).toISOString();
  return {
    id: `e-${sequence.toString().padStart(6, '0')}`,
    amount: 1000,
    category: 'Food',
    date: '2026-11-10',
    createdAt: stamp,
    updatedAt: stamp,
    ...overrides,
  };
}

/**
 * What an add or update use case receives, written in cents as these (USD) tests reason: the
 * amount 1000 is sent as 10 dollars, the major units the API takes.
 */
export function details(overrides: Partial<ExpenseDetails> = {}): ExpenseInput {
  return asInput({ amount: 1000, category: 'Food', date: '2026-11-10', ...overrides });
}

/** Details written in minor units as the input a use case takes: major units of `currency` (default USD). */
export function asInput(minor: ExpenseDetails, currency = 'USD'): ExpenseInput {
  const major = (units: number, of: string) => units / 10 ** currencyDecimals(of);
  return { ...minor, amount: major(minor.amount, currency), ...(minor.original ? { original: { ...minor.original, amount: major(minor.original.amount, minor.original.currency) } } : {}) };
}

export function budget(overrides: Partial<Budget> = {}): Budget {
  return {
    currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: 'owner@example.com', timeZone: 'UTC',
    rollover: [], forecastThresholds: [], monthlyReport: false, ...overrides,
  };
}

export function alert(overrides: Partial<Alert> = {}): Alert {
  const month = overrides.month ?? '2026-11';
  const scope = overrides.scope ?? 'total';
  const threshold = overrides.threshold ?? 80;
  return {
    id: `${month}_${scope}_${threshold}`,
    kind: 'actual', forecast: null,
    month, scope, scopeName: scope === 'total' ? 'Total' : scope, threshold,
    spent: 8000, limit: 10000,
    createdAt: '2026-11-10T12:00:00.000Z',
    delivery: 'pending',
    ...overrides,
  };
}

/** A clock tests can set. */
export class FixedClock {
  constructor(public current = new Date('2026-11-15T10:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
}
