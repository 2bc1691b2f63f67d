import { formatMoney } from '../format.js';
import type { Category } from '../types.js';

/** Spending by category as horizontal bars in inline SVG, largest first. */
export function CategoryChart(props: { byCategory: Partial<Record<Category, number>>; currency: string }) {
  const rows = (Object.entries(props.byCategory) as [Category, number][]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]);
  if (!rows.length) return <p class="empty">No spending to chart yet.</p>;
  const max = rows[0]![1];
  const rowHeight = 28;
  const width = 360;
  const labelWidth = 96;
  const valueWidth = 92;
  const barSpace = width - labelWidth - valueWidth;
  const height = rows.length * rowHeight;
  return (
    <svg class="chart category-chart" viewBox={`0 0 ${width} ${height}`} role="img" data-testid="category-chart"
      aria-label={`Spending by category: ${rows.map(([c, v]) => `${c} ${formatMoney(v, props.currency)}`).join(', ')}`}>
      {rows.map(([category, value], i) => {
        const y = i * rowHeight;
        const w = Math.max(2, (value / max) * barSpace);
        return (
          <g key={category} class={`cat-${category.toLowerCase()}`} data-category={category}>
            <title>{`${category}: ${formatMoney(value, props.currency)}`}</title>
            <text x={0} y={y + rowHeight / 2 + 4} class="chart-label">{category}</text>
            <rect x={labelWidth} y={y + 5} width={w} height={rowHeight - 10} rx={3} class="chart-bar" />
            <text x={labelWidth + w + 6} y={y + rowHeight / 2 + 4} class="chart-value">{formatMoney(value, props.currency)}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** Spending per day of the month as columns in inline SVG. */
export function DailyChart(props: { days: number[]; currency: string; monthLabel: string }) {
  const { days } = props;
  const max = Math.max(0, ...days);
  if (max === 0) return <p class="empty">No daily spending to chart yet.</p>;
  const column = 12;
  const chartHeight = 100;
  const width = days.length * column;
  const busiest = days.indexOf(max) + 1;
  return (
    <svg class="chart daily-chart" viewBox={`0 0 ${width} ${chartHeight + 16}`} role="img" data-testid="daily-chart"
      aria-label={`Spending by day in ${props.monthLabel}; the most was ${formatMoney(max, props.currency)} on day ${busiest}`}>
      <line x1={0} y1={chartHeight} x2={width} y2={chartHeight} class="chart-axis" />
      {days.map((value, i) => {
        const h = value > 0 ? Math.max(2, (value / max) * (chartHeight - 4)) : 0;
        const day = i + 1;
        return (
          <g key={day}>
            {value > 0 && (
              <rect x={i * column + 2} y={chartHeight - h} width={column - 4} height={h} rx={2} class="chart-bar" data-day={day}>
                <title>{`Day ${day}: ${formatMoney(value, props.currency)}`}</title>
              </rect>
            )}
            {(day === 1 || day % 5 === 0) && (
              <text x={i * column + column / 2} y={chartHeight + 13} class="chart-tick" text-anchor="middle">{day}</text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
