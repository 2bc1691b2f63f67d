import type { ServiceIdentifier } from 'inversify';
import type { Alert, DeliveryState } from '../domain/alert.js';
import { DEFAULT_BUDGET, type Budget } from '../domain/budget.js';
import type { CarryPlans } from '../domain/carry.js';
import { DEFAULT_CATEGORY_NAMES, type Category } from '../domain/category.js';
import type { Expense } from '../domain/expense.js';
import type { ImportTable } from '../domain/import-rows.js';
import type { Recurrence } from '../domain/recurrence.js';
import type { MonthTotals } from '../domain/month-totals.js';
import type { WriteAllowance, WriteRateLimit } from '../domain/write-rate.js';

/** What a write to an expense answers: the expense and the alerts the write raised. */
export interface ExpenseWriteResult {
  expense: Expense;
  alerts: Alert[];
  /** The budget's currency, whose decimals the amounts are shown with. */
  currency: string;
}

export interface VersionedMonth {
  totals: MonthTotals;
  /** 0 while the month has never been written. */
  version: number;
}

export interface ListExpensesQuery {
  month: string;
  /** A category id. */
  category?: string;
  limit: number;
  cursor?: string;
}

export interface ExpensePage {
  items: Expense[];
  nextCursor: string | null;
}

/** The SNS subscription that delivers a user's alerts to their current address. */
export interface AlertSubscription {
  email: string;
  subscriptionArn: string;
  /**
   * Published with each alert and required by this subscription's filter: a subscription left
   * over from an earlier address never matches it, even before it is unsubscribed.
   */
  recipient: string;
}

/** The budget as stored, with the bookkeeping of its alert address. */
export interface BudgetRecord {
  budget: Budget;
  subscription: AlertSubscription | null;
  /** When AWS was last asked to email this user's addresses (ISO), within the last day. */
  alertEmailRequests: string[];
  /** Subscriptions of addresses no longer used, still to be unsubscribed: ARN -> address. */
  staleSubscriptions: Record<string, string>;
  /** The user's write-rate bucket; null until the first write. */
  writeAllowance: WriteAllowance | null;
  /**
   * Ids of the user's categories that take new expenses and limits (not archived); null while the
   * user has the ten defaults untouched. Kept here, beside the rules every write already reads, so
   * checking an expense's category costs no read, and written with the categories in one transaction.
   */
  categoryIds: string[] | null;
  /**
   * How many recurring expenses the user has: the summary reads them only when there are some, and
   * the currency (which gives their amounts their meaning) cannot change while there are.
   */
  recurringCount: number;
  /** The carry-over scopes' plans (start month, base limits since), kept by every budget save. */
  carryPlans: CarryPlans;
}

/** What a user who never set a budget has. */
export function defaultBudgetRecord(): BudgetRecord {
  return {
    budget: { ...DEFAULT_BUDGET, categoryLimits: {}, thresholds: [...DEFAULT_BUDGET.thresholds], rollover: [], forecastThresholds: [] },
    subscription: null, alertEmailRequests: [], staleSubscriptions: {}, writeAllowance: null, categoryIds: null, recurringCount: 0, carryPlans: {},
  };
}

/** The categories new expenses and limits may use. */
export function activeCategoryIdsOf(record: BudgetRecord): readonly string[] {
  return record.categoryIds ?? DEFAULT_CATEGORY_NAMES;
}

export interface VersionedBudget {
  record: BudgetRecord;
  /** 0 while the budget has never been written. */
  version: number;
}

export interface IdempotencyRecord {
  fingerprint: string;
  response: ExpenseWriteResult;
}

/**
 * `replace` and `delete` carry the expense as it was read: the write applies only while the stored
 * expense is still exactly that, because the month totals were computed from it.
 */
export type ExpenseWrite =
  | { kind: 'create'; expense: Expense }
  | { kind: 'replace'; expense: Expense; previous: Expense }
  | { kind: 'delete'; expense: Expense };

/** Everything one user action changes, committed all-or-nothing. */
export interface LedgerChange {
  expense?: ExpenseWrite;
  /** More expense writes in the same transaction (a category merge moves up to MAX_MOVES_PER_CHANGE at once). */
  expenses?: ExpenseWrite[];
  /** New totals per month, each written only if the month is still at `expectedVersion`. */
  months: { totals: MonthTotals; expectedVersion: number }[];
  /** Alerts raised by these month writes; each belongs to one of `months`. */
  newAlerts: Alert[];
  /**
   * Written only if the budget is still at `expectedVersion`. Every user write carries it: the
   * budget decided the write (its rules, its rate bucket), so the commit is conditional on it.
   */
  budget?: { record: BudgetRecord; expectedVersion: number };
  /**
   * An import's batch: recorded with the expenses it creates (or, undoing, removed with those it
   * deletes), only while the import is still in `status`, so a commit and its undo never interleave.
   */
  importBatch?: { importId: string; status: ImportStatus; write: 'put' | 'delete'; batch: ImportBatch };
  /**
   * A recurring expense stored (or deleted) only while it is still at `expectedVersion` (0: absent),
   * with when its next occurrence is due (epoch ms; null once it has ended): an occurrence and the
   * recurrence moving past it commit together, so no occurrence is made twice or lost.
   */
  recurrence?: { write: 'put' | 'delete'; recurrence: Recurrence; expectedVersion: number; dueAt: number | null };
  /**
   * The user's monthly report schedule: started (or moved, for a new time zone) with when the next
   * report is due (epoch ms), or stopped; written with the budget that turns it on or off.
   */
  reportSchedule?: { write: 'put'; dueAt: number } | { write: 'delete' };
  /** Written unless a record for `key` exists that has not expired at `now`. */
  idempotency?: { key: string; record: IdempotencyRecord; now: Date; expiresAt: Date };
}

/** Storage of one user's expenses, month totals, budget and alerts. */
export interface LedgerRepository {
  getExpense(userId: string, id: string): Promise<Expense | null>;
  /** Whether the user has any expense; strongly consistent (a currency change decides on it). */
  hasExpenses(userId: string): Promise<boolean>;
  /** Newest date first. Throws ValidationError for a cursor it did not issue for this query. */
  listExpenses(userId: string, query: ListExpensesQuery): Promise<ExpensePage>;
  /** Strongly consistent: writes build on what it returns. A month never written reads as empty at version 0. */
  getMonths(userId: string, months: string[]): Promise<VersionedMonth[]>;
  /** The months written from `from` through `to` (null: all later ones), oldest first; strongly consistent unless `consistent` is false (for showing them). */
  getMonthRange(userId: string, from: string, to: string | null, consistent?: boolean): Promise<VersionedMonth[]>;
  /**
   * The latest `count` months written at or before `through`, newest first. Eventually consistent
   * unless `consistent` (on AWS it may trail a write by about a second): for showing a month.
   */
  getRecentMonths(userId: string, through: string, count: number, consistent: boolean): Promise<VersionedMonth[]>;
  /** Every month the user ever wrote, oldest first; strongly consistent (a category delete decides on it). */
  listMonths(userId: string): Promise<VersionedMonth[]>;
  /**
   * The default budget at version 0 when never set. Strongly consistent unless `consistent` is
   * false (for showing a month, never for deciding a write).
   */
  getBudget(userId: string, consistent?: boolean): Promise<VersionedBudget>;
  /** Null when absent or expired at `now`. */
  getIdempotencyRecord(userId: string, key: string, now: Date): Promise<IdempotencyRecord | null>;
  /**
   * Applies the whole change atomically, or nothing (new alerts may become listable a moment
   * after the rest, but are never lost once commit returns). Throws ConcurrentChangeError when a month
   * moved past its expected version or the expense appeared, vanished or changed meanwhile, and
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
  claimAlertDelivery(userId: string, alertId: string, now: Date, leaseMs: number): Promise<DeliveryClaim | null>;
  /**
   * Records the outcome and releases the claim, only while `claim` still holds it: a deliverer
   * whose lease lapsed and was taken over changes nothing. 'pending' means "try again from `retryAt`".
   */
  settleAlertDelivery(userId: string, alertId: string, claim: DeliveryClaim, delivery: DeliveryState, retryAt?: Date): Promise<void>;
  /** Users with stale subscriptions whose next unsubscribe attempt is due at `now`. */
  listDueUnsubscribes(now: Date, limit: number): Promise<string[]>;
  /** The stale subscription is gone from SNS: forget it. */
  forgetStaleSubscription(userId: string, subscriptionArn: string): Promise<void>;
  /** Unsubscribing failed: try this user's stale subscriptions again from `retryAt`. */
  postponeUnsubscribes(userId: string, retryAt: Date): Promise<void>;
}

/** A page of a user's expenses over a range of months, oldest date first, for export. */
export interface ExpenseExportPage {
  expenses: Expense[];
  /** Where the next page starts; null on the last page. */
  nextCursor: string | null;
}

/** Reads a user's expenses in date order across months (eventually consistent: an export, not a decision). */
export interface ExpenseExportReader {
  /** Months inclusive, YYYY-MM. Throws ValidationError for a cursor it did not issue for this range. */
  readPage(userId: string, range: { from: string; to: string }, limit: number, cursor?: string): Promise<ExpenseExportPage>;
}

/** A DynamoDB transaction holds at most 100 items. */
export const MAX_TRANSACTION_ITEMS = 100;
/** The moved expenses, their month and the budget (fewer when carry-over or a forecast adds months: see monthSlots). */
export const MAX_MOVES_PER_CHANGE = 97;
/** An import's batch also holds its import's check and its batch record. */
export const MAX_IMPORTS_PER_CHANGE = 96;

/**
 * draft: uploaded, previewed as often as wanted. committing: a commit started (a repeat carries
 * on). committed: done. undoing / undone: its expenses are being / have been deleted.
 */
export type ImportStatus = 'draft' | 'committing' | 'committed' | 'undoing' | 'undone';

export interface ImportResult {
  imported: number;
  /** Rows kept out: not spending, possible duplicates not chosen, rows excluded, rows already recorded. */
  skipped: number;
  /** Rows with an error. */
  rejected: number;
}

export interface ImportRecord {
  id: string;
  fileName: string;
  createdAt: string;
  status: ImportStatus;
  /** Records in the file, a header included. */
  records: number;
  delimiter: string;
  /** The commit's choices (a hash), set when it starts: a repeat must bring the same ones. */
  commitKey?: string;
  /** Set once committed. */
  result?: ImportResult;
  /** Months holding this import's expenses. */
  months?: string[];
}

export interface VersionedImport {
  record: ImportRecord;
  version: number;
}

/** The expenses one transaction of an import created, for undoing them. `key` is unique within the import. */
export interface ImportBatch {
  key: string;
  month: string;
  expenseIds: string[];
}

export interface VersionedRecurrence {
  recurrence: Recurrence;
  version: number;
  /** When it is next due (epoch ms), as stored; null once it has ended. */
  dueAt: number | null;
}

/** Reading recurring expenses; they are written through LedgerChange, with the expenses they make. */
export interface RecurrenceRepository {
  /** Strongly consistent, oldest first. */
  list(userId: string): Promise<VersionedRecurrence[]>;
  /** Eventually consistent, for showing what is upcoming (never for deciding a write). */
  listForDisplay(userId: string): Promise<Recurrence[]>;
  /** Strongly consistent; null when there is none. */
  get(userId: string, id: string): Promise<VersionedRecurrence | null>;
  /** Recurrences of any user due at `now` (their next occurrence's day may have begun), soonest first. */
  listDue(now: Date, limit: number): Promise<{ userId: string; id: string }[]>;
}

/** Uploaded files and the record of each import. */
export interface ImportRepository {
  /** Stores a new draft and its parsed file. */
  create(userId: string, record: ImportRecord, table: ImportTable): Promise<void>;
  /** Strongly consistent; null when there is none. */
  get(userId: string, id: string): Promise<VersionedImport | null>;
  getTable(userId: string, id: string): Promise<ImportTable>;
  /** Newest first. */
  list(userId: string): Promise<ImportRecord[]>;
  /** Stores the record if it is still at `expectedVersion`; ConcurrentChangeError otherwise. */
  save(userId: string, record: ImportRecord, expectedVersion: number): Promise<void>;
  /** Strongly consistent. */
  listBatches(userId: string, id: string): Promise<ImportBatch[]>;
}

export interface VersionedCategories {
  categories: Category[];
  /** 0 while the user has the defaults untouched. */
  version: number;
}

/** A user's own categories, in the order they were created. */
export interface CategoryRepository {
  /** Strongly consistent; the ten defaults at version 0 when never changed. */
  getCategories(userId: string): Promise<VersionedCategories>;
  /**
   * Stores the list if it is still at `expectedVersion`, and the budget (its active category ids,
   * its rate bucket) if it is still at its version, in one transaction; ConcurrentChangeError otherwise.
   */
  saveCategories(userId: string, change: { categories: Category[]; expectedVersion: number; budget: { record: BudgetRecord; expectedVersion: number } }): Promise<void>;
}

export interface DeliveryClaim {
  attempts: number;
  /** Identifies this claim: a settle by an earlier claimant whose lease lapsed is refused. */
  token: string;
}

/** Sends alerts to the people they concern. */
export interface Notifier {
  /** Sends to the subscription whose recipient is `to.recipient`. */
  publish(alert: Alert, to: { userId: string; recipient: string; currency: string }): Promise<void>;
  /**
   * Makes `email` receive this user's alerts (SNS first sends it a confirmation; asking again for a
   * subscription not yet confirmed sends the confirmation again). Throws AlertEmailTakenError when
   * another account's alerts already go to that address.
   */
  subscribe(userId: string, email: string): Promise<AlertSubscription>;
  /** Stops a subscription; done also when it is already gone. */
  unsubscribe(subscriptionArn: string): Promise<void>;
}

/** The monthly report email, with its one-click unsubscribe link (RFC 8058). */
export interface ReportMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string;
}

/** Sends report emails (SES on AWS and locally). */
export interface ReportMailer {
  /** Throws when the email was not accepted for sending. */
  send(message: ReportMessage): Promise<void>;
}

/** The right to send one user's report of one month, for a lease; `token` tells this claim from a later one. */
export interface ReportClaim {
  token: string;
  attempts: number;
}

/**
 * Monthly reports: who is due (the schedule item each opted-in user has, in a sparse index), and a
 * record per user and month that makes each report go out once.
 */
export interface ReportRepository {
  /** Users whose next report is due at `now` (their schedule's due time has come), soonest first. */
  listDue(now: Date, limit: number): Promise<{ userId: string; dueAt: number }[]>;
  /**
   * Holds a due user for `leaseMs` (the schedule's due time moves past the lease), only if it is
   * still due at `dueAt` as listed: true when this caller holds it and should queue the user.
   */
  holdForSending(userId: string, dueAt: number, now: Date, leaseMs: number): Promise<boolean>;
  /** Takes the right to send `month`'s report: null when it was sent, or another sender holds it. */
  claim(userId: string, month: string, now: Date, leaseMs: number): Promise<ReportClaim | 'sent' | null>;
  /** Records the report sent (only while `claim` holds it) and schedules the next one at `nextDueAt`, if the user still has a schedule. */
  markSent(userId: string, month: string, claim: ReportClaim, nextDueAt: number): Promise<void>;
  /** A failed attempt: frees the claim, and the report may be tried again from `retryAt`. */
  release(userId: string, month: string, claim: ReportClaim, retryAt: Date): Promise<void>;
  /** Moves the user's schedule on to `nextDueAt` (its report of the month was sent earlier), if they still have one. */
  reschedule(userId: string, nextDueAt: number): Promise<void>;
}

/** Where a report's unsubscribe link points, and the secret its token is signed with. */
export interface ReportSettings {
  /** False on a deployment without a sending identity: the report cannot be turned on there. */
  enabled: boolean;
  /** The API's public base URL, e.g. https://api.example.com (the link is <base>/api/reports/unsubscribe?token=...). */
  linkBase: string;
  tokenSecret: string;
}

/** Hands due users to the senders (SQS on AWS; the sender itself, in process, locally). */
export interface ReportQueue {
  enqueue(userIds: string[]): Promise<void>;
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

/** Expenses a commit meant to create exist already (an import's rows recorded meanwhile); the rest was not written. */
export class ExpensesExistError extends ConcurrentChangeError {
  constructor(readonly ids: string[]) {
    super(`expenses exist already: ${ids.join(', ')}`);
  }
}

/** A dependency stayed throttled, slow or contended after retries: try again later (HTTP 503). */
export class DependencyUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds = 1) {
    super(message);
  }
}

export const TOKENS = {
  LedgerRepository: Symbol.for('LedgerRepository') as ServiceIdentifier<LedgerRepository>,
  CategoryRepository: Symbol.for('CategoryRepository') as ServiceIdentifier<CategoryRepository>,
  ExpenseExportReader: Symbol.for('ExpenseExportReader') as ServiceIdentifier<ExpenseExportReader>,
  ImportRepository: Symbol.for('ImportRepository') as ServiceIdentifier<ImportRepository>,
  RecurrenceRepository: Symbol.for('RecurrenceRepository') as ServiceIdentifier<RecurrenceRepository>,
  Notifier: Symbol.for('Notifier') as ServiceIdentifier<Notifier>,
  ReportMailer: Symbol.for('ReportMailer') as ServiceIdentifier<ReportMailer>,
  ReportRepository: Symbol.for('ReportRepository') as ServiceIdentifier<ReportRepository>,
  ReportQueue: Symbol.for('ReportQueue') as ServiceIdentifier<ReportQueue>,
  ReportSettings: Symbol.for('ReportSettings') as ServiceIdentifier<ReportSettings>,
  Clock: Symbol.for('Clock') as ServiceIdentifier<Clock>,
  Logger: Symbol.for('Logger') as ServiceIdentifier<Logger>,
  WriteRateLimit: Symbol.for('WriteRateLimit') as ServiceIdentifier<WriteRateLimit>,
};
