import { formatDay, formatMoney, formatPercent } from '../format.js';
import { budgetLevel, type BudgetLevel } from '../state.js';
import { categoryName } from '../categories.js';
import type { BudgetUse, CategoryItem, Summary } from '../types.js';

const LEVEL_TEXT: Record<BudgetLevel, string> = { ok: 'On track', warn: 'Near limit', over: 'Over budget' };
const LEVEL_ICON: Record<BudgetLevel, string> = { ok: '✓', warn: '!', over: '✕' };

/** Total spent, what is left, and one progress bar per budget scope (month, then each limited category). */
export function Overview(props: { summary: Summary; categories: readonly CategoryItem[]; thresholds: number[] }) {
  const { summary } = props;
  const money = (n: number) => formatMoney(n, summary.currency);
  const scopes: [string, BudgetUse][] = [
    ...(summary.budget ? [['Monthly budget', summary.budget] as [string, BudgetUse]] : []),
    ...Object.entries(summary.categories).map(([id, use]) => [categoryName(props.categories, id), use] as [string, BudgetUse]),
  ];
  return (
    <>
      <dl class="totals">
        <div>
          <dt>Spent</dt>
          <dd data-testid="total-spent">{money(summary.total)}</dd>
          <dd class="muted">{summary.count} {summary.count === 1 ? 'expense' : 'expenses'}</dd>
        </div>
        <div>
          <dt>Remaining</dt>
          {summary.budget ? (
            <dd data-testid="remaining" class={summary.budget.remaining < 0 ? 'negative' : ''}>
              {summary.budget.remaining < 0 ? `${money(-summary.budget.remaining)} over` : money(summary.budget.remaining)}
            </dd>
          ) : <dd data-testid="remaining" class="muted">No monthly limit</dd>}
          {summary.budget && <dd class="muted">of {money(summary.budget.limit)}</dd>}
        </div>
      </dl>
      {scopes.length > 0 && (
        <ul class="bars" aria-label="Budget use">
          {scopes.map(([name, use]) => <BudgetBar key={name} name={name} use={use} thresholds={props.thresholds} currency={summary.currency} />)}
        </ul>
      )}
      {summary.upcoming.items.length > 0 && (
        <div class="upcoming">
          <h3>Still to come: {money(summary.upcoming.total)}</h3>
          <ul aria-label="Recurring expenses still to come this month">
            {summary.upcoming.items.map((item) => (
              <li key={`${item.recurringId}-${item.date}`}>
                <span>{formatDay(item.date)}</span> <span>{item.description ?? categoryName(props.categories, item.category)}</span> <span class="amount">{money(item.amount)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

export function BudgetBar(props: { name: string; use: BudgetUse; thresholds: number[]; currency: string }) {
  const { use } = props;
  const money = (n: number) => formatMoney(n, props.currency);
  const level = budgetLevel(use.percentUsed, props.thresholds);
  const used = use.percentUsed === null ? 'nothing left after carried overspending' : `${formatPercent(use.percentUsed)} used`;
  const label = `${props.name}: ${used}, ${LEVEL_TEXT[level]}`;
  const percentOfLimit = (amount: number) => (use.limit > 0 ? Math.min(100, Math.max(0, (amount / use.limit) * 100)) : 100);
  return (
    <li class={`bar bar--${level}`} data-scope={props.name}>
      <div class="bar-label">
        <span class="bar-name">{props.name}</span>
        <span class="bar-figures">
          {money(use.spent)} of {money(use.limit)}{use.percentUsed !== null && ` · ${formatPercent(use.percentUsed)}`}
        </span>
      </div>
      <div class="bar-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100}
        aria-valuenow={Math.min(100, use.percentUsed ?? 100)} aria-valuetext={label}>
        <div class="bar-fill" style={{ width: `${percentOfLimit(use.spent)}%` }} />
        {use.forecast !== null && use.forecast > use.spent && (
          <div class="bar-forecast" data-testid="forecast-marker" style={{ left: `calc(${percentOfLimit(use.forecast)}% - 2px)` }} aria-hidden="true" />
        )}
      </div>
      <span class="bar-state"><span aria-hidden="true" class="bar-icon">{LEVEL_ICON[level]}</span> {LEVEL_TEXT[level]}</span>
      {use.carry !== 0 && (
        <span class="bar-note" data-testid="carry">
          {money(use.baseLimit)} {use.carry > 0 ? `+ ${money(use.carry)} left over` : `− ${money(-use.carry)} overspent`} from earlier months
        </span>
      )}
      {use.forecast !== null && (
        <span class="bar-note" data-testid="forecast">Forecast for the month: {money(use.forecast)}{use.forecast > use.limit ? ` (${money(use.forecast - use.limit)} over)` : ''}</span>
      )}
    </li>
  );
}
