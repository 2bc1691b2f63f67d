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
  createdAt: string;
  updatedAt: string;
}

export interface Budget {
  currency: string;
  monthlyLimit: number | null;
  categoryLimits: Record<Category, number>;
  thresholds: number[];
  alertEmail: string | null;
  /** IANA name; the budget's "today" and "this month". */
  timeZone: string;
}

export interface BudgetUse {
  limit: number;
  spent: number;
  remaining: number;
  percentUsed: number;
}

export interface Summary {
  month: string;
  currency: string;
  total: number;
  count: number;
  byCategory: Record<Category, number>;
  budget: BudgetUse | null;
  categories: Record<Category, BudgetUse>;
}

export type AlertScope = 'total' | Category;

export interface Alert {
  id: string;
  month: string;
  scope: AlertScope;
  /** The scope's name when the alert was raised ("Total", or the category's name then). */
  scopeName: string;
  threshold: number;
  spent: number;
  limit: number;
  createdAt: string;
  delivery: 'pending' | 'sent' | 'failed' | 'no_email';
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


