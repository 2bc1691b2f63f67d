/** The backend's JSON shapes (see the HTTP API contract). Money is in major units, with the currency's own decimals. */

/** A category id: the ten defaults' ids are their names, new ones are generated. */
export type Category = string;

export interface CategoryItem {
  id: Category;
  name: string;
  /** #rrggbb */
  color: string;
  archived: boolean;
}

/** What deleting a category would move. */
export interface CategoryUsage {
  expenses: number;
  months: number;
  limited: boolean;
}

export interface ExpenseInput {
  amount: number;
  category: Category;
  /** YYYY-MM-DD */
  date: string;
  description?: string;
  /** What was charged in another currency; shown, never counted. */
  original?: { amount: number; currency: string };
}

export interface Expense extends ExpenseInput {
  id: string;
  /** Set on an expense a recurring expense made. */
  recurringId?: string;
  createdAt: string;
  updatedAt: string;
  /** Page only, never from the server: a change made offline, not sent yet (or refused when sent). */
  pending?: 'waiting' | 'rejected';
}

export interface Budget {
  currency: string;
  monthlyLimit: number | null;
  categoryLimits: Record<Category, number>;
  thresholds: number[];
  alertEmail: string | null;
  /** IANA name; the budget's "today" and "this month". */
  timeZone: string;
  /** The limits whose leftover (or overspending) carries into the next month. */
  rollover: { monthlyLimit: boolean; categoryLimits: Record<Category, boolean> };
  /** Thresholds that also alert when the month-end forecast reaches them. */
  forecastThresholds: number[];
  /** Email a report of each month that ended. */
  monthlyReport: boolean;
}

export interface BudgetUse {
  /** The limit that applies: baseLimit + carry. */
  limit: number;
  baseLimit: number;
  /** Left over (or, negative, overspent) by earlier months and carried in; 0 without carry-over. */
  carry: number;
  spent: number;
  remaining: number;
  /** Null when carried overspending left nothing of the limit. */
  percentUsed: number | null;
  /** The month-end forecast (current month only). */
  forecast: number | null;
}

export interface Summary {
  month: string;
  currency: string;
  total: number;
  count: number;
  byCategory: Record<Category, number>;
  /** Spent per day ("01".."31"); null for a month last written before days were kept. */
  byDay: Record<string, number> | null;
  budget: BudgetUse | null;
  categories: Record<Category, BudgetUse>;
  /** Recurring expenses still to come this month. */
  upcoming: { total: number; items: { recurringId: string; date: string; amount: number; category: Category; description?: string }[] };
}

export type AlertScope = 'total' | Category;

export interface Alert {
  id: string;
  /** `forecast`: raised by the month-end forecast, not by what was spent. */
  kind?: 'spent' | 'forecast';
  month: string;
  scope: AlertScope;
  /** The scope's name when the alert was raised ("Total", or the category's name then). */
  scopeName: string;
  threshold: number;
  spent: number;
  /** The forecast that raised a forecast alert. */
  forecast?: number | null;
  limit: number;
  createdAt: string;
  delivery: 'pending' | 'sent' | 'failed' | 'no_email' | 'suppressed';
}

export interface ExpensePage {
  items: Expense[];
  nextCursor: string | null;
}

export interface SavedExpense {
  expense: Expense;
  alerts: Alert[];
}

export interface AuthConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** Hosted UI base URL, e.g. https://x.auth.eu-west-1.amazoncognito.com */
  domain: string;
  /** The site URL, registered as the app client's callback URL. */
  redirectUri: string;
  scopes: string[];
}

export interface RuntimeConfig {
  apiBaseUrl: string;
  auth: AuthConfig | null;
}



/** How to read an uploaded CSV file (see POST /api/imports/{id}/preview). */
export interface ImportSettings {
  header: boolean;
  columns: Partial<Record<'date' | 'amount' | 'debit' | 'credit' | 'category' | 'description' | 'id' | 'type' | 'currency' | 'originalAmount' | 'originalCurrency', string>>;
  dateFormat: string | null;
  decimalSeparator: '.' | ',' | null;
  spendingSign: 'positive' | 'negative';
  spendingTypes: string[];
  /** `to`: a category id, "new" or "default". */
  categories: { name: string; to: string }[];
  defaultCategory: string;
}

export interface ImportRecord {
  id: string;
  fileName: string;
  createdAt: string;
  status: 'draft' | 'committing' | 'committed' | 'undoing' | 'undone';
  records: number;
  result?: { imported: number; skipped: number; rejected: number };
}

export interface ImportDraft extends ImportRecord {
  columns: string[];
  preset: 'export' | 'actual' | 'firefly' | 'bank' | null;
  suggested: ImportSettings;
  ask: { dateFormat?: string[]; decimalSeparator?: string[] };
}

export type ImportRowStatus = 'ok' | 'duplicate' | 'recorded' | 'error' | 'skipped';

export interface ImportRow {
  line: number;
  status: ImportRowStatus;
  date?: string;
  amount?: number;
  category?: string | null;
  fileCategory?: string;
  description?: string;
  problems?: { field: string; reason: string }[];
  reason?: string;
  warnings?: string[];
  duplicateOf?: Expense;
}

export interface ImportPreview {
  columns: string[];
  counts: Record<ImportRowStatus, number>;
  categories: { name: string; rows: number; to: string }[];
  rows: ImportRow[];
  nextOffset: number | null;
}

export type ImportOutcome =
  | { status: 'committed'; imported: number; skipped: number; rejected: number }
  | { status: 'committing'; imported: number; remaining: number };

export interface Schedule {
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly';
  interval: number;
  startDate: string;
  dayOfMonth?: number;
  weekday?: 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA' | 'SU';
  end?: { after: number } | { until: string };
  weekend: 'none' | 'before' | 'after';
}

export interface RecurrenceInput extends Omit<ExpenseInput, 'date'> {
  schedule: Schedule;
}

export interface Recurrence extends RecurrenceInput {
  id: string;
  /** Null once it has ended. */
  nextDate: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One month of GET /api/trends: totals against the limits that applied (carry-over included). */
export interface TrendMonth {
  month: string;
  total: number;
  count: number;
  byCategory: Record<Category, number>;
  limit: number | null;
  categoryLimits: Record<Category, number>;
  /** Against the month before; `percent` is null when that month spent nothing. */
  change: { amount: number; percent: number | null };
}

export interface Trends {
  currency: string;
  /** Twelve months, oldest first, ending with the month asked for. */
  months: TrendMonth[];
}
