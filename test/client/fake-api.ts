/** An in-memory ApiClient for component tests: enough behaviour to drive the page, with call records. */
import { ApiError, type ApiClient, type ListQuery } from '../../client/src/api.js';
import { currencyDecimals } from '../../client/src/format.js';
import { compareExpenses } from '../../client/src/state.js';
import { DEFAULT_CATEGORIES } from '../../client/src/categories.js';
import type {
  Alert, Budget, CategoryItem, Expense, ExpenseInput, ImportDraft, ImportOutcome, ImportPreview, ImportRecord, ImportRow, ImportSettings, Recurrence, RecurrenceInput,
  SavedExpense, Summary, Trends,
} from '../../client/src/types.js';

export class FakeApi implements ApiClient {
  expenses: Expense[] = [];
  budget: Budget = {
    currency: 'USD', monthlyLimit: null, categoryLimits: {}, thresholds: [80, 100], alertEmail: null, timeZone: 'UTC',
    rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false,
  };
  alerts: Alert[] = [];
  categories: CategoryItem[] = DEFAULT_CATEGORIES.map((c) => ({ ...c }));
  /** Alerts the next add/update returns. */
  nextAlerts: Alert[] = [];
  calls: { method: string; args: unknown[] }[] = [];
  /** Answer summaries as for a month written before days were kept (byDay null). */
  daysUnknown = false;
  /** When set, every call rejects with this error. */
  failWith: ApiError | null = null;
  /** When set, addExpense waits for this promise (to test "saving" states). */
  addGate: Promise<void> | null = null;
  private seq = 0;

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failWith) throw this.failWith;
  }

  callsOf(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  seed(input: ExpenseInput): Expense {
    const n = ++this.seq;
    const stamp = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
    const expense: Expense = { ...input, id: `e${String(n).padStart(4, '0')}`, createdAt: stamp, updatedAt: stamp };
    this.expenses.push(expense);
    return expense;
  }

  async health() {
    this.record('health');
    return { status: 'ok' };
  }

  /** Idempotency-Key -> the body and first answer, as the server keeps them. */
  private readonly idempotent = new Map<string, { body: string; saved: SavedExpense }>();

  async addExpense(input: ExpenseInput, idempotencyKey?: string): Promise<SavedExpense> {
    this.record('addExpense', input, idempotencyKey);
    if (this.addGate) await this.addGate;
    const replay = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (replay) {
      if (replay.body !== JSON.stringify(input)) throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key was used with a different body');
      return replay.saved;
    }
    this.validate(input);
    const alerts = this.nextAlerts;
    this.nextAlerts = [];
    this.alerts.push(...alerts);
    const saved = { expense: this.seed(input), alerts };
    if (idempotencyKey) this.idempotent.set(idempotencyKey, { body: JSON.stringify(input), saved });
    return saved;
  }

  async listExpenses(query: ListQuery) {
    this.record('listExpenses', query);
    const all = this.expenses
      .filter((e) => e.date.startsWith(query.month) && (!query.category || e.category === query.category))
      .sort(compareExpenses);
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 50;
    const items = all.slice(start, start + limit);
    return { items, nextCursor: start + limit < all.length ? String(start + limit) : null };
  }

  async getTrends(to: string): Promise<Trends> {
    this.record('getTrends', to);
    const scale = 10 ** currencyDecimals(this.budget.currency);
    const [year, mon] = to.split('-').map(Number) as [number, number];
    const monthAt = (back: number) => {
      const index = year * 12 + mon - 1 - back;
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    };
    const unitsOf = (month: string) => {
      const byCategory: Record<string, number> = {};
      let total = 0;
      let count = 0;
      for (const e of this.expenses.filter((x) => x.date.startsWith(month))) {
        const units = Math.round(e.amount * scale);
        byCategory[e.category] = (byCategory[e.category] ?? 0) + units;
        total += units;
        count++;
      }
      return { total, count, byCategory };
    };
    const months = Array.from({ length: 12 }, (_, i) => monthAt(11 - i)).map((month, i, all) => {
      const now = unitsOf(month);
      const before = unitsOf(i === 0 ? monthAt(12) : all[i - 1]!).total;
      return {
        month, total: now.total / scale, count: now.count,
        byCategory: Object.fromEntries(Object.entries(now.byCategory).map(([k, v]) => [k, v / scale])),
        limit: this.budget.monthlyLimit, categoryLimits: { ...this.budget.categoryLimits },
        change: { amount: (now.total - before) / scale, percent: before === 0 ? null : Math.trunc(((now.total - before) * 1000) / before) / 10 },
      };
    });
    return { currency: this.budget.currency, months };
  }

  async listAllExpenses(month: string) {
    this.record('listAllExpenses', month);
    // In the API's order (the pages joined): newest first.
    return this.expenses.filter((e) => e.date.startsWith(month)).sort(compareExpenses);
  }

  async getExpense(id: string) {
    this.record('getExpense', id);
    const found = this.expenses.find((e) => e.id === id);
    if (!found) throw new ApiError(404, 'NOT_FOUND', 'No such expense');
    return found;
  }

  async updateExpense(id: string, input: ExpenseInput): Promise<SavedExpense> {
    this.record('updateExpense', id, input);
    const index = this.expenses.findIndex((e) => e.id === id);
    if (index < 0) throw new ApiError(404, 'NOT_FOUND', 'Expense not found');
    this.validate(input, this.expenses[index]?.category);
    const expense: Expense = { ...input, id, createdAt: this.expenses[index]!.createdAt, updatedAt: new Date().toISOString() };
    this.expenses[index] = expense;
    return { expense, alerts: [] };
  }

  async deleteExpense(id: string) {
    this.record('deleteExpense', id);
    if (!this.expenses.some((e) => e.id === id)) throw new ApiError(404, 'NOT_FOUND', 'Expense not found');
    this.expenses = this.expenses.filter((e) => e.id !== id);
  }

  async getSummary(month: string): Promise<Summary> {
    this.record('getSummary', month);
    const items = this.expenses.filter((e) => e.date.startsWith(month));
    const cents = (n: number) => Math.round(n * 100);
    const byCategory: Summary['byCategory'] = {};
    const byDay: Record<string, number> = {};
    let total = 0;
    for (const e of items) {
      total += cents(e.amount);
      byCategory[e.category] = ((cents(byCategory[e.category] ?? 0)) + cents(e.amount)) / 100;
      byDay[e.date.slice(8, 10)] = (cents(byDay[e.date.slice(8, 10)] ?? 0) + cents(e.amount)) / 100;
    }
    // No carry-over nor forecast here: the page's handling of those is tested with summaries given outright.
    const use = (limit: number, spent: number) => ({
      limit, baseLimit: limit, carry: 0, spent, remaining: (cents(limit) - cents(spent)) / 100, percentUsed: Math.floor((cents(spent) * 1000) / cents(limit)) / 10, forecast: null,
    });
    const categories: Summary['categories'] = {};
    for (const [c, limit] of Object.entries(this.budget.categoryLimits)) {
      categories[c as keyof Summary['categories']] = use(limit!, byCategory[c as keyof Summary['byCategory']] ?? 0);
    }
    return {
      month, currency: this.budget.currency, total: total / 100, count: items.length, byCategory,
      byDay: this.daysUnknown ? null : byDay,
      budget: this.budget.monthlyLimit === null ? null : use(this.budget.monthlyLimit, total / 100),
      categories,
      upcoming: this.upcoming(month),
    };
  }

  /** Recurring expenses as stored; `nextDate` moves a month on each skip (the fake knows monthly schedules only). */
  recurring: Recurrence[] = [];

  private upcoming(month: string): Summary['upcoming'] {
    const items = this.recurring.filter((r) => r.nextDate?.startsWith(month))
      .map((r) => ({ recurringId: r.id, date: r.nextDate!, amount: r.amount, category: r.category, ...(r.description ? { description: r.description } : {}) }));
    return { total: items.reduce((sum, i) => sum + i.amount, 0), items };
  }

  async listRecurring() {
    this.record('listRecurring');
    return structuredClone(this.recurring);
  }

  async createRecurring(input: RecurrenceInput) {
    this.record('createRecurring', input);
    if (!(input.amount > 0)) throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid field: amount', { amount: 'must be a number greater than 0' });
    const recurrence: Recurrence = { ...structuredClone(input), id: `00000000-0000-4000-8000-${String(this.recurring.length + 1).padStart(12, '0')}`, nextDate: input.schedule.startDate, createdAt: '2026-11-15T10:00:00.000Z', updatedAt: '2026-11-15T10:00:00.000Z' };
    this.recurring.push(recurrence);
    return structuredClone(recurrence);
  }

  async updateRecurring(id: string, input: RecurrenceInput) {
    this.record('updateRecurring', id, input);
    const index = this.recurring.findIndex((r) => r.id === id);
    this.recurring[index] = { ...this.recurring[index]!, ...structuredClone(input) };
    return structuredClone(this.recurring[index]!);
  }

  async deleteRecurring(id: string) {
    this.record('deleteRecurring', id);
    this.recurring = this.recurring.filter((r) => r.id !== id);
  }

  async skipRecurring(id: string) {
    this.record('skipRecurring', id);
    const found = this.recurring.find((r) => r.id === id)!;
    const [y, m, d] = found.nextDate!.split('-').map(Number) as [number, number, number];
    const next = new Date(Date.UTC(y, m, d));
    found.nextDate = next.toISOString().slice(0, 10);
    return structuredClone(found);
  }

  async getBudget() {
    this.record('getBudget');
    return this.budget;
  }

  async putBudget(budget: Budget) {
    this.record('putBudget', budget);
    const fields: Record<string, string> = {};
    if (budget.alertEmail !== null && !budget.alertEmail.includes('@')) fields.alertEmail = 'must be a valid email address or null';
    if (budget.thresholds.some((t) => !Number.isInteger(t))) fields.thresholds = 'must be whole percentages from 1 to 1000';
    if (Object.keys(fields).length) throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid fields', fields);
    this.budget = { ...budget, thresholds: [...budget.thresholds].sort((a, b) => a - b) };
    return this.budget;
  }

  async resendAlertEmailConfirmation() {
    this.record('resendAlertEmailConfirmation');
    if (!this.budget.alertEmail) throw new ApiError(400, 'VALIDATION_FAILED', 'No alert address to confirm', { alertEmail: 'is not set: set an alert address first' });
    return { alertEmail: this.budget.alertEmail };
  }

  async listAlerts(month: string) {
    this.record('listAlerts', month);
    return this.alerts.filter((a) => a.month === month);
  }

  async listCategories() {
    this.record('listCategories');
    return this.categories.map((c) => ({ ...c }));
  }

  async createCategory(input: { name: string; color?: string }) {
    this.record('createCategory', input);
    const name = input.name.trim();
    if (!name) throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid field: name', { name: 'must be 1 to 40 characters' });
    if (this.categories.some((c) => c.name.toLowerCase() === name.toLowerCase())) throw new ApiError(409, 'CATEGORY_EXISTS', `A category named "${name}" exists already`, { name: 'is taken' });
    const created: CategoryItem = { id: `c${++this.seq}`, name, color: input.color ?? '#ad1457', archived: false };
    this.categories.push(created);
    return created;
  }

  async updateCategory(id: string, patch: { name?: string; color?: string; archived?: boolean }) {
    this.record('updateCategory', id, patch);
    const index = this.categories.findIndex((c) => c.id === id);
    if (index < 0) throw new ApiError(404, 'NOT_FOUND', 'No such category');
    this.categories[index] = { ...this.categories[index]!, ...patch };
    return this.categories[index]!;
  }

  async getCategoryUsage(id: string) {
    this.record('getCategoryUsage', id);
    const using = this.expenses.filter((e) => e.category === id);
    return { expenses: using.length, months: new Set(using.map((e) => e.date.slice(0, 7))).size, limited: this.budget.categoryLimits[id] !== undefined };
  }

  async exportCsv(from: string, to: string) {
    this.record('exportCsv', from, to);
    const rows = this.expenses.filter((e) => e.date.slice(0, 7) >= from && e.date.slice(0, 7) <= to).map((e) => `${e.date},${e.amount.toFixed(2)}`);
    return ['date,amount', ...rows].join('\r\n');
  }

  /** What the fake import holds: the uploaded text, and the ids its commit created. */
  uploads: { draft: ImportDraft; text: string; created: string[] }[] = [];
  /** How many commit (and undo) requests answer "carry on" before the one that finishes. */
  commitSteps = 1;

  async startImport(text: string, fileName: string): Promise<ImportDraft> {
    this.record('startImport', text, fileName);
    const [header, ...rows] = text.trim().split(/\r?\n/);
    const columns = header!.split(',');
    const draft: ImportDraft = {
      id: `00000000-0000-4000-8000-${String(this.uploads.length + 1).padStart(12, '0')}`, fileName, createdAt: '2026-11-15T10:00:00.000Z', status: 'draft', records: rows.length + 1,
      columns, preset: null, ask: /\//.test(text) ? { dateFormat: ['DD/MM/YYYY', 'MM/DD/YYYY'] } : {},
      suggested: {
        header: true, columns: { date: 'date', amount: 'amount', description: 'description' }, dateFormat: /\//.test(text) ? null : 'YYYY-MM-DD', decimalSeparator: '.',
        spendingSign: 'positive', spendingTypes: [], categories: [], defaultCategory: 'Other',
      },
    };
    this.uploads.push({ draft, text, created: [] });
    return draft;
  }

  private importRows(id: string): ImportRow[] {
    const upload = this.uploads.find((u) => u.draft.id === id)!;
    return upload.text.trim().split(/\r?\n/).slice(1).map((line, i) => {
      const [written, amount, description] = line.split(',');
      // Dates as DD/MM/YYYY (the one format besides ISO these tests use).
      const date = written!.includes('/') ? written!.split('/').reverse().join('-') : written;
      if (Number.isNaN(Number(amount))) return { line: i + 2, status: 'error', problems: [{ field: 'amount', reason: `"${amount}" is not a number` }] };
      const duplicateOf = this.expenses.find((e) => e.amount === Number(amount) && e.date === date);
      return { line: i + 2, status: duplicateOf ? 'duplicate' : 'ok', date, amount: Number(amount), description, ...(duplicateOf ? { duplicateOf } : {}) };
    });
  }

  async previewImport(id: string, settings: ImportSettings, query: { status?: ImportRow['status'] } = {}): Promise<ImportPreview> {
    this.record('previewImport', id, settings, query);
    if (!settings.dateFormat) throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid field: dateFormat', { dateFormat: 'must be one of YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD.MM.YYYY' });
    const rows = this.importRows(id);
    const counts = { ok: 0, duplicate: 0, recorded: 0, error: 0, skipped: 0 };
    for (const row of rows) counts[row.status] += 1;
    return { columns: ['date', 'amount', 'description'], counts, categories: [], rows: rows.filter((r) => !query.status || r.status === query.status), nextOffset: null };
  }

  async commitImport(id: string, body: ImportSettings & { duplicates?: 'skip' | 'import'; include?: number[] }): Promise<ImportOutcome> {
    this.record('commitImport', id, body);
    const upload = this.uploads.find((u) => u.draft.id === id)!;
    const kept = this.importRows(id).filter((r) => r.status === 'ok' || (r.status === 'duplicate' && (body.duplicates === 'import' || body.include?.includes(r.line))));
    if (this.callsOf('commitImport').length < this.commitSteps) return { status: 'committing', imported: 0, remaining: kept.length };
    for (const row of kept) upload.created.push(this.seed({ amount: row.amount!, category: 'Other', date: row.date!, description: row.description! }).id);
    const rows = this.importRows(id).length;
    const rejected = this.importRows(id).filter((r) => r.status === 'error').length;
    const result = { imported: kept.length, skipped: rows - kept.length - rejected, rejected };
    Object.assign(upload.draft, { status: 'committed', result });
    return { status: 'committed', ...result };
  }

  async undoImport(id: string) {
    this.record('undoImport', id);
    const upload = this.uploads.find((u) => u.draft.id === id)!;
    this.expenses = this.expenses.filter((e) => !upload.created.includes(e.id));
    upload.draft.status = 'undone';
    const removed = upload.created.length;
    upload.created = [];
    return { removed };
  }

  async listImports(): Promise<ImportRecord[]> {
    this.record('listImports');
    return this.uploads.map((u) => u.draft);
  }

  async deleteCategory(id: string, moveTo?: string) {
    this.record('deleteCategory', id, moveTo);
    const using = this.expenses.filter((e) => e.category === id);
    if (using.length && !moveTo) throw new ApiError(409, 'CATEGORY_IN_USE', 'Expenses use it');
    for (const e of using) e.category = moveTo!;
    this.categories = this.categories.filter((c) => c.id !== id);
    return { moved: using.length };
  }

  private validate(input: ExpenseInput, keepCategory?: string): void {
    const fields: Record<string, string> = {};
    if (input.category !== keepCategory && !this.categories.some((c) => c.id === input.category && !c.archived)) {
      fields.category = 'is not one of your categories, or is archived (GET /api/categories lists them)';
    }
    if (!(typeof input.amount === 'number' && input.amount > 0 && Math.round(input.amount * 100) === input.amount * 100)) {
      fields.amount = 'must be a number greater than 0 and at most 1,000,000, with at most 2 decimal places';
    }
    if (input.original) {
      const scale = 10 ** currencyDecimals(input.original.currency);
      if (!(input.original.amount > 0 && Math.round(input.original.amount * scale) === input.original.amount * scale)) {
        fields['original.amount'] = `must be a number greater than 0, with at most ${Math.log10(scale)} decimal places (${input.original.currency})`;
      }
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date)) fields.date = 'must be a real calendar date YYYY-MM-DD between 1970-01-01 and 2099-12-31';
    if (Object.keys(fields).length) throw new ApiError(400, 'VALIDATION_FAILED', 'Invalid fields', fields);
  }
}
