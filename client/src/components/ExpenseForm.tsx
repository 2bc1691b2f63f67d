import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, newIdempotencyKey, type ApiClient } from '../api.js';
import { formatMoney, formatMonth, monthOf } from '../format.js';
import { categoryName, selectableCategories } from '../categories.js';
import type { CategoryItem, SavedExpense } from '../types.js';
import { draftProblems, draftToInput, emptyDraft, ExpenseFields, useExpenseDraft } from './ExpenseFields.js';

/** API field name -> input id suffix, to focus the first field with a problem. */
const FIELD_IDS: Record<string, string> = {
  amount: 'amount', category: 'category', date: 'date', description: 'description',
  original: 'original-currency', 'original.amount': 'original-amount', 'original.currency': 'original-currency',
};

/** Focuses the first field (in form order) that `errors` names. */
export function focusFirstProblem(idPrefix: string, errors: Record<string, string>): void {
  const first = Object.keys(FIELD_IDS).find((f) => errors[f]);
  if (first) document.getElementById(`${idPrefix}-${FIELD_IDS[first]}`)?.focus();
}

/** "Saved $3.50 for Food." (with the month when it is not the one shown), or, for a change kept offline, that it waits. */
export function savedText(saved: SavedExpense, currency: string, categories: readonly CategoryItem[], viewedMonth: string): string {
  const { expense } = saved;
  const month = monthOf(expense.date);
  const what = `${formatMoney(expense.amount, currency)} for ${categoryName(categories, expense.category)}${month === viewedMonth ? '' : ` (${formatMonth(month)})`}`;
  return expense.pending ? `Kept on this device: ${what} is sent when the server can be reached.` : `Saved ${what}.`;
}

export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error));
}

/**
 * The quick add form. Enter submits; the button is disabled while saving and a ref guards against
 * a second submit before the re-render. Each submission has its own Idempotency-Key; resubmitting
 * the same values after a failure reuses it, so a save that did reach the server is not repeated.
 */
export function ExpenseForm(props: {
  api: ApiClient; today: string; viewedMonth: string; currency: string; categories: readonly CategoryItem[]; onSaved: (saved: SavedExpense) => void;
}) {
  const firstOpen = () => selectableCategories(props.categories)[0]?.id ?? '';
  const { draft, setDraft, errors, setErrors, change, check } = useExpenseDraft(() => emptyDraft(props.today, firstOpen()), props.currency);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const attempt = useRef<{ key: string; body: string } | null>(null);
  const amountRef = useRef<HTMLInputElement | null>(null);
  // A category archived or deleted meanwhile leaves the picker: fall back to the first open one.
  useEffect(() => {
    if (!selectableCategories(props.categories).some((c) => c.id === draft.category)) setDraft((d) => ({ ...d, category: firstOpen() }));
  }, [props.categories]);

  async function submit(event: Event) {
    event.preventDefault();
    if (savingRef.current) return;
    if (!check()) {
      setStatus({ kind: 'error', text: 'Please correct the marked fields.' });
      focusFirstProblem('add', draftProblems(draft, props.currency));
      return;
    }
    const input = draftToInput(draft, props.currency);
    const body = JSON.stringify(input);
    const key = attempt.current?.body === body ? attempt.current.key : newIdempotencyKey();
    attempt.current = { key, body };
    savingRef.current = true;
    setSaving(true);
    setStatus(null);
    try {
      const saved = await props.api.addExpense(input, key);
      attempt.current = null;
      setErrors({});
      setDraft((d) => ({ ...d, amount: '', description: '', originalAmount: '' }));
      setStatus({ kind: 'ok', text: savedText(saved, props.currency, props.categories, props.viewedMonth) });
      props.onSaved(saved);
      amountRef.current?.focus();
    } catch (error) {
      const e = toApiError(error);
      setErrors(e.fields);
      const fieldNames = Object.keys(e.fields);
      setStatus({ kind: 'error', text: fieldNames.length ? 'Please correct the marked fields.' : `${e.message} Your entry is kept.` });
      focusFirstProblem('add', e.fields);
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }

  return (
    <form class="expense-form" onSubmit={submit} noValidate aria-labelledby="add-heading">
      <h2 id="add-heading">Add an expense</h2>
      <div class="form-grid">
        <ExpenseFields idPrefix="add" draft={draft} categories={props.categories} errors={errors} amountRef={amountRef}
          onChange={change} />
      </div>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={saving} aria-busy={saving}>{saving ? 'Saving…' : 'Add expense'}</button>
        <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
      </div>
    </form>
  );
}
