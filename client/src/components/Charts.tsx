import { useState } from 'preact/hooks';
import { formatDay, formatMoney } from '../format.js';
import { categoryColor, categoryName } from '../categories.js';
import type { CategoryItem } from '../types.js';

/** Spending by category as horizontal bars in inline SVG, largest first, in each category's colour. */
export function CategoryChart(props: { byCategory: Record<string, number>; categories: readonly CategoryItem[]; currency: string }) {
  const rows = Object.entries(props.byCategory).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
    .map(([id, value]) => ({ id, name: categoryName(props.categories, id), color: categoryColor(props.categories, id), value }));
  if (!rows.length) return <p class="empty">No spending to chart yet.</p>;
  const max = rows[0]!.value;
  const rowHeight = 28;
  const width = 360;
  const labelWidth = 96;
  const valueWidth = 92;
  const barSpace = width - labelWidth - valueWidth;
  const height = rows.length * rowHeight;
  return (
    <svg class="chart category-chart" viewBox={`0 0 ${width} ${height}`} role="img" data-testid="category-chart"
      aria-label={`Spending by category: ${rows.map((r) => `${r.name} ${formatMoney(r.value, props.currency)}`).join(', ')}`}>
      {rows.map(({ id, name, color, value }, i) => {
        const y = i * rowHeight;
        const w = Math.max(2, (value / max) * barSpace);
        return (
          <g key={id} style={{ '--c': color }} data-category={id}>
            <title>{`${name}: ${formatMoney(value, props.currency)}`}</title>
            <text x={0} y={y + rowHeight / 2 + 4} class="chart-label">{name.length > 14 ? `${name.slice(0, 13)}…` : name}</text>
            <rect x={labelWidth} y={y + 5} width={w} height={rowHeight - 10} rx={3} class="chart-bar" />
            <text x={labelWidth + w + 6} y={y + rowHeight / 2 + 4} class="chart-value">{formatMoney(value, props.currency)}</text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * Spending per day: one column per day, readable without hover. The chart is one slider (a single
 * tap target and tab stop): tapping a column or pressing the arrow keys picks a day, whose amount is
 * written above the chart and announced; the busiest day is picked at first. Every day with spending
 * is also listed in a table under it.
 */
export function DailyChart(props: { days: number[]; currency: string; month: string; monthLabel: string }) {
  const { days, currency } = props;
  const max = Math.max(0, ...days);
  const busiest = days.indexOf(max) + 1;
  const [picked, setPicked] = useState<number | null>(null);
  if (max === 0) return <p class="empty">No daily spending to chart yet.</p>;
  const day = picked !== null && picked <= days.length ? picked : busiest;
  const dateOf = (d: number) => `${props.month}-${String(d).padStart(2, '0')}`;
  const readout = `${formatDay(dateOf(day))}: ${formatMoney(days[day - 1] ?? 0, currency)}`;
  const move = (to: number) => setPicked(Math.min(days.length, Math.max(1, to)));
  const keys: Record<string, number> = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -7, PageUp: 7 };
  return (
    <div class="daily" data-testid="daily-chart">
      <p class="daily-readout" aria-hidden="true"><strong>{readout}</strong><span class="muted"> · most on one day: {formatMoney(max, currency)}</span></p>
      <div class="daily-bars" role="slider" tabIndex={0} aria-label={`Spending by day in ${props.monthLabel}`}
        aria-valuemin={1} aria-valuemax={days.length} aria-valuenow={day} aria-valuetext={readout}
        onKeyDown={(e) => {
          const step = keys[e.key];
          const to = e.key === 'Home' ? 1 : e.key === 'End' ? days.length : step !== undefined ? day + step : null;
          if (to === null) return;
          e.preventDefault();
          move(to);
        }}
        onPointerDown={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          if (box.width > 0) move(Math.floor(((e.clientX - box.left) / box.width) * days.length) + 1);
        }}>
        {days.map((value, i) => (
          <span key={i} class={`daily-col${i + 1 === day ? ' daily-col--picked' : ''}`} {...(value > 0 ? { 'data-day': i + 1 } : {})}>
            {value > 0 && <span class="daily-fill" style={{ height: `${Math.max(3, (value / max) * 100)}%` }} />}
          </span>
        ))}
      </div>
      <div class="daily-ticks" aria-hidden="true">
        {days.map((_, i) => <span key={i}>{i === 0 || (i + 1) % 5 === 0 ? i + 1 : ''}</span>)}
      </div>
      <details class="daily-table">
        <summary>Each day's spending</summary>
        <table>
          <thead><tr><th scope="col">Day</th><th scope="col">Spent</th></tr></thead>
          <tbody>
            {days.map((value, i) => value > 0 && (
              <tr key={i}><td>{formatDay(dateOf(i + 1))}</td><td class="num">{formatMoney(value, currency)}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
