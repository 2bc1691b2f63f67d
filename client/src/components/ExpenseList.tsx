import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { formatDay, formatMoney } from '../format.js';
import { categoryColor, categoryName } from '../categories.js';
import type { Category, CategoryItem, Expense, SavedExpense } from '../types.js';
import { draftProblems, draftToInput, expenseToDraft, ExpenseFields, useExpenseDraft } from './ExpenseFields.js';
import { focusFirstProblem, toApiError } from './ExpenseForm.js';
import { expenseRowTarget, focusLater } from './focus.js';
import { ErrorPanel } from './Status.js';

export interface ListState {
  items: Expense[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
}

/** The month's expenses, newest first, with a category filter, "load more", edit in place and delete. */
export function ExpenseList(props: {
  api: ApiClient;
  list: ListState;
  currency: string;
  categories: readonly CategoryItem[];
  category: Category | '';
  monthLabel: string;
  onCategory: (category: Category | '') => void;
  onLoadMore: () => void;
  onRetry: () => void;
  onUpdated: (saved: SavedExpense) => void;
  onDelete: (expense: Expense) => void;
}) {
  const { list } = props;
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section class="card expenses" aria-labelledby="expenses-heading">
      <div class="card-head">
        <h2 id="expenses-heading" tabIndex={-1}>Expenses</h2>
        <div class="field field--inline">
          <label for="filter-category">Category</label>
          <select id="filter-category" value={props.category} onChange={(e) => props.onCategory(e.currentTarget.value as Category | '')}>
            <option value="">All categories</option>
            {props.categories.map((c) => <option key={c.id} value={c.id}>{c.name}{c.archived ? ' (archived)' : ''}</option>)}
          </select>
        </div>
      </div>
      {list.error && !list.items.length ? (
        <ErrorPanel message={list.error} onRetry={props.onRetry} />
      ) : list.loading && !list.items.length ? (
        <p class="muted" aria-busy="true">Loading expenses…</p>
      ) : !list.items.length ? (
        <p class="empty">No expenses{props.category ? ` in ${categoryName(props.categories, props.category)}` : ''} for {props.monthLabel} yet.</p>
      ) : (
        <ul class="expense-list" aria-busy={list.loading}>
          {list.items.map((expense) => editing === expense.id ? (
            <EditRow key={expense.id} api={props.api} expense={expense} currency={props.currency} categories={props.categories} onDone={(saved) => {
              setEditing(null);
              if (saved) props.onUpdated(saved);
              // Back to the row just edited (or cancelled); the list heading if the edit moved it out of view.
              focusLater(() => expenseRowTarget(saved?.expense.id ?? expense.id));
            }} />
          ) : (
            <ExpenseRow key={expense.id} expense={expense} currency={props.currency} categories={props.categories}
              onEdit={() => setEditing(expense.id)} onDelete={() => props.onDelete(expense)} />
          ))}
        </ul>
      )}
      {list.error && list.items.length > 0 && <ErrorPanel message={list.error} onRetry={list.nextCursor ? props.onLoadMore : props.onRetry} />}
      {list.nextCursor && !list.error && (
        <button type="button" class="load-more" onClick={props.onLoadMore} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

function ExpenseRow(props: { expense: Expense; currency: string; categories: readonly CategoryItem[]; onEdit: () => void; onDelete: () => void }) {
  const { expense } = props;
  const category = categoryName(props.categories, expense.category);
  return (
    <li class="expense" data-id={expense.id}>
      <span class="expense-date">{formatDay(expense.date)}</span>
      <span class="chip" style={{ '--c': categoryColor(props.categories, expense.category) }}>{category}</span>
      {/* Isolated, in its own direction: the text cannot reorder the date, amount or buttons around it. */}
      <span class="expense-note" dir="auto">{expense.description ?? ''}</span>
      <span class="expense-amount">
        {formatMoney(expense.amount, props.currency)}
        {expense.original && <span class="expense-original muted"> ({formatMoney(expense.original.amount, expense.original.currency)})</span>}
      </span>
      {expense.pending && (
        <span class={`expense-pending${expense.pending === 'rejected' ? ' expense-pending--rejected' : ''}`}>
          {expense.pending === 'rejected' ? 'Refused by the server: see "Not sent yet"' : 'Not sent yet'}
        </span>
      )}
      <span class="expense-actions">
        <button type="button" class="link edit" onClick={props.onEdit}
          aria-label={`Edit ${category} ${formatMoney(expense.amount, props.currency)} on ${expense.date}`}>Edit</button>
        <button type="button" class="link danger" onClick={props.onDelete}
          aria-label={`Delete ${category} ${formatMoney(expense.amount, props.currency)} on ${expense.date}`}>Delete</button>
      </span>
    </li>
  );
}

function EditRow(props: { api: ApiClient; expense: Expense; currency: string; categories: readonly CategoryItem[]; onDone: (saved: SavedExpense | null) => void }) {
  const { expense } = props;
  const { draft, errors, setErrors, change, check } = useExpenseDraft(() => expenseToDraft(expense, props.currency), props.currency);
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const amountRef = useRef<HTMLInputElement | null>(null);
  useEffect(() => amountRef.current?.focus(), []);

  async function save(event: Event) {
    event.preventDefault();
    if (savingRef.current) return;
    if (!check()) {
      setMessage('Please correct the marked fields.');
      focusFirstProblem(`edit-${expense.id}`, draftProblems(draft, props.currency));
      return;
    }
    savingRef.current = true;
    setSaving(true);
    setMessage('');
    try {
      props.onDone(await props.api.updateExpense(expense.id, draftToInput(draft, props.currency)));
    } catch (error) {
      const e = toApiError(error);
      setErrors(e.fields);
      setMessage(Object.keys(e.fields).length ? 'Please correct the marked fields.' : `${e.message} Your changes are kept.`);
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }

  const p = `edit-${expense.id}`;
  return (
    <li class="expense expense--editing" data-id={expense.id}>
      <form class="edit-form" onSubmit={save} noValidate aria-label={`Edit expense of ${expense.date}`}
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); props.onDone(null); } }}>
        <div class="form-grid">
          <ExpenseFields idPrefix={p} draft={draft} categories={props.categories} keepCategory={expense.category} errors={errors} amountRef={amountRef}
            onChange={change} />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
          <button type="button" onClick={() => props.onDone(null)}>Cancel</button>
          <p class="form-status error" role="status">{message}</p>
        </div>
      </form>
    </li>
  );
}
