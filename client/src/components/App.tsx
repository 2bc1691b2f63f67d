import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey, type ApiClient } from '../api.js';
import { addMonths, deviceTimeZone, formatMoney, formatMonth, isMonth, isUntouchedBudget, monthOf, todayIso } from '../format.js';
import { appendPage, removeExpense, spendingByDay, upsertExpense } from '../state.js';
import { categoryName, DEFAULT_CATEGORIES } from '../categories.js';
import type { Alert, Budget, Category, CategoryItem, Expense, ExpenseInput, SavedExpense, Summary } from '../types.js';
import { AlertBanner, AlertHistory } from './Alerts.js';
import { BudgetForm } from './BudgetForm.js';
import { CategoryManager } from './CategoryManager.js';
import { ExportCard } from './ExportCard.js';
import { ImportCard } from './ImportCard.js';
import { RecurringCard } from './RecurringCard.js';
import { CategoryChart, DailyChart } from './Charts.js';
import { ExpenseForm, toApiError } from './ExpenseForm.js';
import { QuickAdd } from './QuickAdd.js';
import { ExpenseList, type ListState } from './ExpenseList.js';
import { Overview } from './Overview.js';
import { ErrorPanel } from './Status.js';

export interface AppProps {
  api: ApiClient;
  /** YYYY-MM-DD; defaults to today in the budget's time zone. */
  today?: string;
  /** The first month shown; defaults to the URL's #YYYY-MM or today's month. */
  initialMonth?: string;
  pageSize?: number;
  onSignOut?: () => void;
  /** The device's IANA zone; read from the browser unless given. */
  deviceTimeZone?: string;
}

interface MonthData {
  month: string;
  summary: Summary;
  alerts: Alert[];
  expenses: Expense[];
}

interface Toast {
  text: string;
  undo?: () => void;
}

const EMPTY_LIST: ListState = { items: [], nextCursor: null, loading: true, loadingMore: false, error: null };

function monthFromHash(): string | null {
  if (typeof location === 'undefined') return null;
  const hash = location.hash.replace(/^#/, '');
  return isMonth(hash) ? hash : null;
}

export function App(props: AppProps) {
  const { api } = props;
  const pageSize = props.pageSize ?? 20;
  const [budget, setBudget] = useState<Budget | null>(null);
  const today = props.today ?? todayIso(new Date(), budget?.timeZone);
  const [month, setMonth] = useState(() => props.initialMonth ?? monthFromHash() ?? monthOf(today));
  const [category, setCategory] = useState<Category | ''>('');
  const [budgetError, setBudgetError] = useState<string | null>(null);
  // The defaults until the user's own arrive, so the add form works from the first paint.
  const [categories, setCategories] = useState<readonly CategoryItem[]>(DEFAULT_CATEGORIES);
  const [data, setData] = useState<MonthData | null>(null);
  const [dataError, setDataError] = useState<string | null>(null);
  const [list, setList] = useState<ListState>(EMPTY_LIST);
  const [banner, setBanner] = useState<Alert[]>([]);
  const [toast, setToast] = useState<Toast | null>(null);
  const dataSeq = useRef(0);
  const listSeq = useRef(0);

  const loadBudget = useCallback(async () => {
    try {
      let loaded = await api.getBudget();
      // First use: the budget takes this device's time zone, so "today" and "this month" are the user's.
      const zone = props.deviceTimeZone ?? deviceTimeZone();
      if (isUntouchedBudget(loaded) && zone !== loaded.timeZone) loaded = await api.putBudget({ ...loaded, timeZone: zone }).catch(() => loaded);
      setBudget(loaded);
      setBudgetError(null);
    } catch (error) {
      setBudgetError(toApiError(error).message);
    }
  }, [api, props.deviceTimeZone]);

  const loadCategories = useCallback(async (): Promise<readonly CategoryItem[] | null> => {
    try {
      const loaded = await api.listCategories();
      setCategories(loaded);
      return loaded;
    } catch (error) {
      setBudgetError(toApiError(error).message);
      return null;
    }
  }, [api]);

  const loadMonth = useCallback(async (m: string) => {
    const seq = ++dataSeq.current;
    try {
      const [summary, alerts, expenses] = await Promise.all([api.getSummary(m), api.listAlerts(m), api.listAllExpenses(m)]);
      if (seq !== dataSeq.current) return;
      setData({ month: m, summary, alerts, expenses });
      setDataError(null);
    } catch (error) {
      if (seq === dataSeq.current) setDataError(toApiError(error).message);
    }
  }, [api]);

  const loadList = useCallback(async (m: string, c: Category | '') => {
    const seq = ++listSeq.current;
    setList(EMPTY_LIST);
    try {
      const page = await api.listExpenses({ month: m, category: c, limit: pageSize });
      if (seq === listSeq.current) setList({ items: page.items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null });
    } catch (error) {
      if (seq === listSeq.current) setList({ ...EMPTY_LIST, loading: false, error: toApiError(error).message });
    }
  }, [api, pageSize]);

  const loadMore = async () => {
    const seq = listSeq.current;
    const cursor = list.nextCursor;
    if (!cursor || list.loadingMore) return;
    setList((l) => ({ ...l, loadingMore: true, error: null }));
    try {
      const page = await api.listExpenses({ month, category, limit: pageSize, cursor });
      if (seq === listSeq.current) {
        setList((l) => ({ ...l, items: appendPage(l.items, page.items), nextCursor: page.nextCursor, loadingMore: false }));
      }
    } catch (error) {
      if (seq === listSeq.current) setList((l) => ({ ...l, loadingMore: false, error: toApiError(error).message }));
    }
  };

  useEffect(() => void loadBudget(), [loadBudget]);
  useEffect(() => void loadCategories(), [loadCategories]);
  useEffect(() => {
    void loadMonth(month);
    if (typeof history !== 'undefined' && typeof location !== 'undefined' && location.hash !== `#${month}`) {
      history.replaceState(null, '', `#${month}`);
    }
  }, [month, loadMonth]);
  useEffect(() => void loadList(month, category), [month, category, loadList]);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 10_000);
    return () => clearTimeout(timer);
  }, [toast]);

  const retryAll = () => {
    if (!budget) void loadBudget();
    void loadCategories();
    void loadMonth(month);
    void loadList(month, category);
  };

  const currency = budget?.currency ?? data?.summary.currency ?? 'USD';
  const money = (n: number) => formatMoney(n, currency);
  const monthLabel = formatMonth(month);

  const saved = (result: SavedExpense) => {
    setList((l) => ({ ...l, items: upsertExpense(l.items, result.expense, { month, category }, l.nextCursor !== null) }));
    if (result.alerts.length) setBanner(result.alerts);
    void loadMonth(month);
  };

  const remove = async (expense: Expense) => {
    try {
      await api.deleteExpense(expense.id);
    } catch (error) {
      setToast({ text: `Could not delete: ${toApiError(error).message}` });
      return;
    }
    setList((l) => ({ ...l, items: removeExpense(l.items, expense.id) }));
    void loadMonth(month);
    const input: ExpenseInput = {
      amount: expense.amount, category: expense.category, date: expense.date,
      ...(expense.description ? { description: expense.description } : {}), ...(expense.original ? { original: expense.original } : {}),
    };
    const key = newIdempotencyKey();
    setToast({
      text: `Deleted ${categoryName(categories, expense.category)} ${money(expense.amount)} on ${expense.date}.`,
      undo: async () => {
        setToast(null);
        try {
          saved(await api.addExpense(input, key));
          setToast({ text: 'Expense restored.' });
        } catch (error) {
          setToast({ text: `Could not restore: ${toApiError(error).message}` });
        }
      },
    });
  };

  const shown = data && data.month === month ? data : null;
  const thresholds = budget?.thresholds ?? [80, 100];

  return (
    <div class="app">
      <header class="top">
        <h1>Budget</h1>
        <nav class="month-nav" aria-label="Month">
          <button type="button" onClick={() => setMonth(addMonths(month, -1))} aria-label="Previous month">‹</button>
          <h2 id="month-label" aria-live="polite">{monthLabel}</h2>
          <button type="button" onClick={() => setMonth(addMonths(month, 1))} aria-label="Next month">›</button>
          {month !== monthOf(today) && <button type="button" class="link" onClick={() => setMonth(monthOf(today))}>This month</button>}
        </nav>
        {props.onSignOut && <button type="button" class="link sign-out" onClick={props.onSignOut}>Sign out</button>}
      </header>

      <AlertBanner alerts={banner} onDismiss={() => setBanner([])} />
      {(dataError || budgetError) && <ErrorPanel message={dataError ?? budgetError ?? ''} onRetry={retryAll} />}

      <main class="layout">
        <section class="card area-form">
          <QuickAdd api={api} today={today} viewedMonth={month} currency={currency} categories={categories} history={data?.expenses ?? []} onSaved={saved} />
          <ExpenseForm api={api} today={today} viewedMonth={month} currency={currency} categories={categories} onSaved={saved} />
        </section>

        <section class="card area-overview" aria-labelledby="overview-heading" aria-busy={!shown}>
          <h2 id="overview-heading">{monthLabel} at a glance</h2>
          {!shown ? (dataError ? <p class="muted">Totals are unavailable until the server answers.</p> : <p class="muted">Loading totals…</p>) : (
            <>
              <Overview summary={shown.summary} categories={categories} thresholds={thresholds} />
              <h3>By category</h3>
              <CategoryChart byCategory={shown.summary.byCategory} categories={categories} currency={currency} />
              <h3>By day</h3>
              <DailyChart days={spendingByDay(shown.expenses, month, currency)} currency={currency} monthLabel={monthLabel} />
            </>
          )}
        </section>

        <div class="area-list">
          <ExpenseList api={api} list={list} currency={currency} categories={categories} category={category} monthLabel={monthLabel}
            onCategory={setCategory} onLoadMore={loadMore} onRetry={() => void loadList(month, category)}
            onUpdated={saved} onDelete={(e) => void remove(e)} />
        </div>

        <div class="area-alerts">
          <AlertHistory alerts={shown ? shown.alerts : null} currency={currency} />
        </div>

        <div class="area-budget">
          {budget ? <BudgetForm api={api} budget={budget} categories={categories} onSaved={(b) => { setBudget(b); void loadMonth(month); }} />
            : <section class="card"><h2>Budget</h2><p class="muted">{budgetError ? 'The budget could not be loaded.' : 'Loading budget…'}</p></section>}
        </div>

        <div class="area-categories">
          <CategoryManager api={api} categories={categories} onChanged={async () => {
            // A merge moves expenses and their totals; a deleted filter category lists everything again.
            void loadMonth(month);
            const loaded = await loadCategories();
            if (category && loaded && !loaded.some((c) => c.id === category)) setCategory('');
            else void loadList(month, category);
          }} />
          <RecurringCard api={api} categories={categories} currency={currency} today={today} onChanged={() => {
            // Occurrences already due were made: the month's totals and list change.
            void loadMonth(month);
            void loadList(month, category);
          }} />
          <ImportCard api={api} categories={categories} onImported={() => {
            // New expenses (and perhaps new categories) anywhere in the history: reload what is shown.
            void loadMonth(month);
            void loadCategories();
            void loadList(month, category);
          }} />
          <ExportCard api={api} month={month} />
        </div>
      </main>

      <div class="toast-region" role="status" aria-live="polite">
        {toast && (
          <div class="toast">
            <span>{toast.text}</span>
            {toast.undo && <button type="button" class="link" onClick={toast.undo}>Undo</button>}
            <button type="button" class="link" aria-label="Close message" onClick={() => setToast(null)}>✕</button>
          </div>
        )}
      </div>
    </div>
  );
}
