import { useRef, useState } from 'preact/hooks';
import { newIdempotencyKey, type ApiClient } from '../api.js';
import { categoryName, selectableCategories } from '../categories.js';
import { currencyDecimals, formatDay, formatMoney } from '../format.js';
import { parseQuickAdd, type QuickAddContext } from '../quick-add.js';
import type { CategoryItem, Expense, SavedExpense } from '../types.js';
import { savedText, toApiError } from './ExpenseForm.js';

const FROM_TEXT = { typed: '', guessed: ' (guessed from similar expenses)', last: ' (the last one used)' } as const;

/** The device's order of day and month in a short date: 31/12 or 12/31 (read once). */
let dateOrder: QuickAddContext['dateOrder'] | null = null;
function deviceDateOrder(): QuickAddContext['dateOrder'] {
  return dateOrder ??= readDateOrder();
}
function readDateOrder(): QuickAddContext['dateOrder'] {
  const parts = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'numeric' }).formatToParts(new Date(Date.UTC(2026, 11, 31)));
  return parts.findIndex((p) => p.type === 'day') < parts.findIndex((p) => p.type === 'month') ? 'DMY' : 'MDY';
}

/**
 * One line for an expense ("coffee 3.50", "taxi 24.90 2 days ago"): what it reads is shown as it
 * is typed, and Enter saves exactly that (the form below stays for everything else). The category
 * is guessed from the month's expenses the page already holds; nothing is read from the server.
 */
export function QuickAdd(props: {
  api: ApiClient; today: string; viewedMonth: string; currency: string; categories: readonly CategoryItem[];
  history: readonly Expense[]; onSaved: (saved: SavedExpense) => void;
}) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const saving = useRef(false);
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const parsed = text.trim() === '' ? null : parseQuickAdd(text, {
    today: props.today, decimals: currencyDecimals(props.currency), dateOrder: deviceDateOrder(),
    categories: selectableCategories(props.categories), history: props.history,
  });

  async function submit(event: Event) {
    event.preventDefault();
    if (saving.current || !parsed) return;
    if (!parsed.ok) {
      setStatus({ kind: 'error', text: parsed.problem });
      return;
    }
    const { amount, date, category, description } = parsed.expense;
    const input = { amount, date, category, ...(description ? { description } : {}) };
    const body = JSON.stringify(input);
    // The same line sent again after a failure keeps its key: a save that reached the server is not made twice.
    const key = attempt.current?.body === body ? attempt.current.key : newIdempotencyKey();
    attempt.current = { key, body };
    saving.current = true;
    try {
      const saved = await props.api.addExpense(input, key);
      attempt.current = null;
      setText('');
      setStatus({ kind: 'ok', text: savedText(saved, props.currency, props.categories, props.viewedMonth) });
      props.onSaved(saved);
    } catch (error) {
      const e = toApiError(error);
      setStatus({ kind: 'error', text: Object.values(e.fields)[0] ? `${Object.keys(e.fields)[0]} ${Object.values(e.fields)[0]}` : e.message });
    } finally {
      saving.current = false;
    }
  }

  const preview = parsed?.ok
    ? `${formatMoney(parsed.expense.amount, props.currency)} · ${categoryName(props.categories, parsed.expense.category)}${FROM_TEXT[parsed.expense.categoryFrom]} · ${formatDay(parsed.expense.date)}${parsed.expense.description ? ` · ${parsed.expense.description}` : ''}`
    : parsed?.problem ?? 'e.g. "coffee 3.50", "taxi 24.90 2 days ago", "lunch 12 food"';
  return (
    <form class="quick-add" onSubmit={submit} aria-labelledby="quick-add-label">
      <label id="quick-add-label" for="quick-add">Quick add</label>
      <input id="quick-add" name="quickAdd" autoComplete="off" enterKeyHint="done" value={text}
        aria-describedby="quick-add-preview" aria-invalid={parsed !== null && !parsed.ok ? 'true' : undefined}
        onInput={(e) => { setText(e.currentTarget.value); setStatus(null); }} />
      <p id="quick-add-preview" class={`quick-add-preview ${parsed && !parsed.ok ? 'field-error' : 'muted'}`} data-testid="quick-add-preview">{preview}</p>
      <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
    </form>
  );
}
