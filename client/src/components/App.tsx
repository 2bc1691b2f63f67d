import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey, type ApiClient } from '../api.js';
import { addMonths, deviceTimeZone, formatMoney, formatMonth, isMonth, isUntouchedBudget, monthOf, todayIso } from '../format.js';
import { appendPage, daysOf, removeExpense, spendingByDay, upsertExpense } from '../state.js';
import { categoryName, DEFAULT_CATEGORIES } from '../categories.js';
import type { Alert, Budget, Category, CategoryItem, Expense, ExpenseInput, SavedExpense, Summary } from '../types.js';
import { AlertBanner, AlertHistory } from './Alerts.js';
import { lazyScreen } from './Lazy.js';
import { OfflineNotice, UpdateNotice, useOfflineStatus } from './Offline.js';
import type { OfflineApi } from '../offline/offline-api.js';
import type { UpdateOffer } from '../offline/service-worker.js';
import { CategoryChart, DailyChart } from './Charts.js';
import { ExpenseForm, toApiError } from './ExpenseForm.js';
import { QuickAdd } from './QuickAdd.js';
import { ExpenseList, type ListState } from './ExpenseList.js';
import { Overview } from './Overview.js';
import { ErrorPanel } from './Status.js';
import { expenseRowTarget, focusLater } from './focus.js';

// Below the first screen: each loads as its own chunk after the page has shown.
const CategoryManager = lazyScreen('Categories', () => import('./CategoryManager.js').then((m) => m.CategoryManager));
const RecurringCard = lazyScreen('Recurring', () => import('./RecurringCard.js').then((m) => m.RecurringCard));
const ImportCard = lazyScreen('Import', () => import('./ImportCard.js').then((m) => m.ImportCard));
const ExportCard = lazyScreen('Export', () => import('./ExportCard.js').then((m) => m.ExportCard));
const BudgetForm = lazyScreen('Budget', () => import('./BudgetForm.js').then((m) => m.BudgetForm));
const TrendsCard = lazyScreen('The last 12 months', () => import('./TrendsCard.js').then((m) => m.TrendsCard));
// Only shown while changes wait to be sent.
const PendingChanges = lazyScreen('Not sent yet', () => import('./PendingChanges.js').then((m) => m.PendingChanges));

/** How often queued changes are tried again while some wait and the browser says it is online. */
const SYNC_RETRY_MS = 30_000;

export interface AppProps {
  api: ApiClient;
  /** The offline layer `api` comes from (queued changes, last data); absent in tests of the page alone. */
  offline?: OfflineApi;
  /** A new version of the page, offered when the service worker has it. */
  updates?: UpdateOffer;
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
  /** Spent per day of the month (index 0 = day 1). */
  days: number[];
}

interface Toast {
  text: string;
  /** With an undo, the toast stays until closed (no time limit, WCAG 2.2.1) and takes focus. */
  undo?: () => void;
  /** Where focus goes when the toast is closed: the row after the deleted one. */
  nextRowId?: string | null;
}

const EMPTY_LIST: ListState = { items: [], nextCursor: null, loading: true, loadingMore: false, error: null };

/** [80, 100] -> "80% and 100%". */
function formatThresholds(thresholds: number[]): string {
  const parts = thresholds.map((t) => `${t}%`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0] ?? '';
}

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
  const [showTrends, setShowTrends] = useState(false);
  const dataSeq = useRef(0);
  const listSeq = useRef(0);
  const offlineStatus = useOfflineStatus(props.offline);

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

  /**
   * The month's totals, per-day spending and alerts: two reads of small items, never the month's
   * expenses (only a month last written before days were kept has them summed here). The alerts
   * read, or null when it failed or was overtaken.
   */
  const loadMonth = useCallback(async (m: string): Promise<Alert[] | null> => {
    const seq = ++dataSeq.current;
    try {
      const [summary, alerts] = await Promise.all([api.getSummary(m), api.listAlerts(m)]);
      const days = summary.byDay ? daysOf(summary.byDay, m) : spendingByDay(await api.listAllExpenses(m), m, summary.currency);
      if (seq !== dataSeq.current) return null;
      setData({ month: m, summary, alerts, days });
      setDataError(null);
      return alerts;
    } catch (error) {
      if (seq === dataSeq.current) setDataError(toApiError(error).message);
      return null;
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
    // A banner is about the month it was raised in.
    setBanner([]);
    void loadMonth(month);
    if (typeof history !== 'undefined' && typeof location !== 'undefined' && location.hash !== `#${month}`) {
      history.replaceState(null, '', `#${month}`);
    }
  }, [month, loadMonth]);
  useEffect(() => void loadList(month, category), [month, category, loadList]);
  useEffect(() => {
    if (!toast || toast.undo) return;
    const timer = setTimeout(() => setToast(null), 10_000);
    return () => clearTimeout(timer);
  }, [toast]);
  const closeToast = () => {
    const next = toast?.nextRowId;
    setToast(null);
    if (next !== undefined) focusLater(() => expenseRowTarget(next));
  };

  // Queued changes go when the page opens, when the browser is back online, and every 30 s while any wait.
  const waiting = offlineStatus?.queued.some((q) => !q.rejected) ?? false;
  const wasOffline = useRef(false);
  // What is shown now (month and filter), for the sync's listeners without re-subscribing them, and
  // so without sending again, on every month change.
  const refresh = useRef(() => {});
  useEffect(() => {
    const offline = props.offline;
    if (!offline) return;
    const sync = async () => {
      const result = await offline.sync();
      if (result.alerts.length) setBanner(result.alerts);
      if (result.sent || result.rejected) refresh.current();
    };
    void sync();
    const onOnline = () => {
      void sync();
      // The last data was shown: read it fresh.
      refresh.current();
    };
    window.addEventListener('online', onOnline);
    const timer = waiting ? setInterval(() => { if (navigator.onLine) void sync(); }, SYNC_RETRY_MS) : null;
    return () => {
      window.removeEventListener('online', onOnline);
      if (timer) clearInterval(timer);
    };
  }, [props.offline, waiting]);
  // Back from offline (a request got through): what is shown may be old.
  useEffect(() => {
    const offlineNow = offlineStatus?.offline ?? false;
    if (wasOffline.current && !offlineNow) void props.offline?.sync().then(() => refresh.current());
    wasOffline.current = offlineNow;
  }, [offlineStatus?.offline]);

  const refreshShown = () => {
    void loadMonth(month);
    void loadList(month, category);
  };
  refresh.current = refreshShown;

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
    const index = list.items.findIndex((e) => e.id === expense.id);
    const nextRowId = (list.items[index + 1] ?? list.items[index - 1])?.id ?? null;
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
      nextRowId,
      undo: async () => {
        setToast(null);
        try {
          const restored = await api.addExpense(input, key);
          saved(restored);
          setToast({ text: 'Expense restored.' });
          focusLater(() => expenseRowTarget(restored.expense.id));
        } catch (error) {
          setToast({ text: `Could not restore: ${toApiError(error).message}`, nextRowId });
        }
      },
    });
    // Undo is one key press away (Enter); Escape or Close goes on to the next row.
    focusLater(() => document.querySelector('.toast button.undo'));
  };

  const shown = data && data.month === month ? data : null;
  const dismissBanner = useCallback(() => setBanner([]), []);

  /** A budget saved: the month is evaluated under it, and alerts it raised show as a save's would. */
  const budgetSaved = async (saved: Budget) => {
    const seen = new Set(shown?.alerts.map((a) => a.id) ?? []);
    setBudget(saved);
    const alerts = await loadMonth(month);
    const raised = alerts?.filter((a) => !seen.has(a.id)) ?? [];
    if (shown && raised.length) setBanner(raised);
  };
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

      <UpdateNotice updates={props.updates} />
      <OfflineNotice status={offlineStatus} now={Date.now()} />
      <AlertBanner alerts={banner} currency={currency} onDismiss={dismissBanner} />
      {(dataError || budgetError) && <ErrorPanel message={dataError ?? budgetError ?? ''} onRetry={retryAll} />}

      <main class="layout">
        {props.offline && !!offlineStatus?.queued.length && (
          <div class="area-pending">
            <PendingChanges offline={props.offline} status={offlineStatus} currency={currency} categories={categories} onChanged={refreshShown} />
          </div>
        )}
        <section class="card area-form">
          <QuickAdd api={api} today={today} viewedMonth={month} currency={currency} categories={categories} history={list.items} onSaved={saved} />
          <ExpenseForm api={api} today={today} viewedMonth={month} currency={currency} categories={categories} onSaved={saved} />
        </section>

        <section class="card area-overview" aria-labelledby="overview-heading" aria-busy={!shown}>
          <div class="card-head">
            <h2 id="overview-heading">{monthLabel} at a glance</h2>
            {!showTrends && (
              <button type="button" class="link" onClick={() => setShowTrends(true)}>A year at a glance</button>
            )}
          </div>
          {budget && budget.monthlyLimit === null && Object.keys(budget.categoryLimits).length === 0 && (
            <p class="budget-hint" data-testid="budget-hint">
              No budget yet: set a monthly limit to see what is left and get an email at {formatThresholds(budget.thresholds)} of it.{' '}
              <button type="button" class="link" onClick={() => focusLater(() => {
                const field = document.getElementById('budget-monthly');
                field?.scrollIntoView({ block: 'center' });
                return field;
              })}>Set a budget</button>
            </p>
          )}
          {!shown ? (dataError ? <p class="muted">Totals are unavailable until the server answers.</p> : <p class="muted">Loading totals…</p>) : (
            <>
              <Overview summary={shown.summary} categories={categories} thresholds={thresholds} />
              <h3>By category</h3>
              <CategoryChart byCategory={shown.summary.byCategory} categories={categories} currency={currency} />
              <h3>By day</h3>
              <DailyChart days={shown.days} currency={currency} month={month} monthLabel={monthLabel} />
            </>
          )}
        </section>
        {showTrends && (
          <div class="area-trends">
            <TrendsCard api={api} to={month} categories={categories} />
          </div>
        )}

        <div class="area-list">
          <ExpenseList api={api} list={list} currency={currency} categories={categories} category={category} monthLabel={monthLabel}
            onCategory={setCategory} onLoadMore={loadMore} onRetry={() => void loadList(month, category)}
            onUpdated={saved} onDelete={(e) => void remove(e)} />
        </div>

        <div class="area-alerts">
          <AlertHistory alerts={shown ? shown.alerts : null} currency={currency} />
        </div>

        <div class="area-budget">
          {budget ? <BudgetForm api={api} budget={budget} categories={categories} onSaved={(b) => void budgetSaved(b)} />
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
          <div class="toast" onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); closeToast(); } }}>
            <span>{toast.text}</span>
            {toast.undo && <button type="button" class="link undo" onClick={toast.undo}>Undo</button>}
            <button type="button" class="link" aria-label="Close message" onClick={closeToast}>✕</button>
          </div>
        )}
      </div>
    </div>
  );
}
