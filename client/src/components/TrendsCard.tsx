import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { categoryName } from '../categories.js';
import { currencyDecimals, formatMoney, formatMonth, formatPercent } from '../format.js';
import type { CategoryItem, Trends } from '../types.js';
import { toApiError } from './ExpenseForm.js';
import { ErrorPanel } from './Status.js';

interface Row {
  month: string;
  spent: number;
  limit: number | null;
  change: { amount: number; percent: number | null };
}

/**
 * One scope's twelve months: the monthly total (as the API gives it) or one category's spending,
 * whose month-over-month change is worked out here, in minor units, truncated to one decimal as the
 * API does for the total.
 */
export function trendRows(trends: Trends, scope: string): Row[] {
  if (scope === '') return trends.months.map((m) => ({ month: m.month, spent: m.total, limit: m.limit, change: m.change }));
  const scale = 10 ** currencyDecimals(trends.currency);
  const units = (amount: number | undefined) => Math.round((amount ?? 0) * scale);
  return trends.months.map((m, i) => {
    const now = units(m.byCategory[scope]);
    // The month before the first one shown is not in the answer: its change stays unknown.
    const before = i === 0 ? null : units(trends.months[i - 1]!.byCategory[scope]);
    return {
      month: m.month, spent: now / scale, limit: m.categoryLimits[scope] ?? null,
      change: before === null ? { amount: 0, percent: null }
        : { amount: (now - before) / scale, percent: before === 0 ? null : Math.trunc(((now - before) * 1000) / before) / 10 },
    };
  });
}

/**
 * A year at a glance (GET /api/trends, one request that reads the twelve month items): each
 * month's spending against the budget that applied, in total or for one category, with the change
 * from the month before. A table with a bar in each row: readable as text, with no hover.
 */
export function TrendsCard(props: { api: ApiClient; to: string; categories: readonly CategoryItem[] }) {
  const [trends, setTrends] = useState<Trends | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scope, setScope] = useState('');
  const [attempt, setAttempt] = useState(0);
  const heading = useRef<HTMLHeadingElement | null>(null);
  // Shown on the user's request: focus goes to it.
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let current = true;
    setError(null);
    props.api.getTrends(props.to).then((t) => { if (current) setTrends(t); }, (e: unknown) => { if (current) setError(toApiError(e).message); });
    return () => { current = false; };
  }, [props.api, props.to, attempt]);

  const money = (n: number) => formatMoney(n, trends?.currency ?? 'USD');
  const rows = trends ? trendRows(trends, scope) : [];
  const max = Math.max(0, ...rows.flatMap((r) => [r.spent, r.limit ?? 0]));
  const scale = 10 ** currencyDecimals(trends?.currency ?? 'USD');
  const totalUnits = rows.reduce((sum, r) => sum + Math.round(r.spent * scale), 0);
  const withSpending = rows.filter((r) => r.spent > 0).length;
  const highest = rows.reduce<Row | null>((best, r) => (r.spent > (best?.spent ?? 0) ? r : best), null);
  const used = new Set(trends?.months.flatMap((m) => Object.keys(m.byCategory)) ?? []);

  return (
    <section class="card trends" aria-labelledby="trends-heading" aria-busy={!trends && !error} data-testid="trends">
      <div class="card-head">
        <h2 id="trends-heading" tabIndex={-1} ref={heading}>The last 12 months</h2>
        <div class="field field--inline">
          <label for="trends-scope">Show</label>
          <select id="trends-scope" value={scope} onChange={(e) => setScope(e.currentTarget.value)}>
            <option value="">All spending</option>
            {props.categories.filter((c) => used.has(c.id) || c.id in (trends?.months.at(-1)?.categoryLimits ?? {}))
              .map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </div>
      </div>
      {error ? <ErrorPanel message={error} onRetry={() => setAttempt((n) => n + 1)} />
        : !trends ? <p class="muted">Loading the last 12 months…</p>
        : (
          <>
            <p class="trends-summary">
              {money(totalUnits / scale)} in 12 months{withSpending ? `, ${money(Math.round(totalUnits / withSpending) / scale)} a month on average over the ${withSpending} with spending` : ''}
              {highest && highest.spent > 0 ? `; the most in ${formatMonth(highest.month)} (${money(highest.spent)})` : ''}.
            </p>
            <table class="trends-table">
              <caption class="visually-hidden">{scope ? categoryName(props.categories, scope) : 'All spending'} by month, against the budget</caption>
              <thead>
                <tr><th scope="col">Month</th><th scope="col">Spent</th><th scope="col">Budget</th><th scope="col">Change</th></tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const over = r.limit !== null && r.spent > r.limit;
                  return (
                    <tr key={r.month} class={over ? 'trends-row--over' : ''}>
                      <th scope="row">{formatMonth(r.month)}</th>
                      <td class="trends-spent">
                        <span class="num">{money(r.spent)}</span>
                        <span class="trends-bar" aria-hidden="true">
                          <span class="trends-fill" style={{ width: `${max ? (r.spent / max) * 100 : 0}%` }} />
                          {r.limit !== null && max > 0 && <span class="trends-limit" style={{ left: `${(r.limit / max) * 100}%` }} />}
                        </span>
                      </td>
                      <td class="num">{r.limit === null ? '—' : <>{money(r.limit)}{over && <span class="trends-over"> over</span>}</>}</td>
                      <td class="num">{changeText(r.change, money)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
    </section>
  );
}

/** "+$12.00 (+8.5%)", "−$3.00 (−2%)", "+$40.00" from nothing, "no change". */
function changeText(change: Row['change'], money: (n: number) => string): string {
  if (change.amount === 0) return 'no change';
  const sign = change.amount > 0 ? '+' : '−';
  const percent = change.percent === null ? '' : ` (${sign}${formatPercent(Math.abs(change.percent))})`;
  return `${sign}${money(Math.abs(change.amount))}${percent}`;
}
