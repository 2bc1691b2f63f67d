import { formatMoney } from '../format.js';
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
