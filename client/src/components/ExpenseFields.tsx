import { useState } from 'preact/hooks';
import { selectableCategories } from '../categories.js';
import type { Category, CategoryItem, ExpenseInput } from '../types.js';
import { amountProblem, amountText, parseAmount } from '../format.js';
import { Field, invalidProps } from './Field.js';

export interface ExpenseDraft {
  amount: string;
  category: Category;
  date: string;
  description: string;
  /** What was charged in another currency, if anything (empty for none). */
  originalAmount: string;
  originalCurrency: string;
}

export function emptyDraft(date: string, category: Category): ExpenseDraft {
  return { amount: '', category, date, description: '', originalAmount: '', originalCurrency: '' };
}

export function expenseToDraft(expense: ExpenseInput, currency: string): ExpenseDraft {
  return {
    amount: amountText(expense.amount, currency), category: expense.category, date: expense.date, description: expense.description ?? '',
    originalAmount: expense.original ? amountText(expense.original.amount, expense.original.currency) : '',
    originalCurrency: expense.original?.currency ?? '',
  };
}

/** The API body for a draft in `currency`: unparseable amounts go as null so the server names the problem. */
export function draftToInput(draft: ExpenseDraft, currency: string): ExpenseInput {
  const description = draft.description.trim();
  const original = draft.originalAmount.trim();
  return {
    amount: parseAmount(draft.amount, currency),
    category: draft.category,
    date: draft.date,
    ...(description ? { description } : {}),
    ...(original ? { original: { amount: parseAmount(original, draft.originalCurrency.trim().toUpperCase()), currency: draft.originalCurrency.trim().toUpperCase() } } : {}),
  };
}

/** The API's field name for each draft field (how the server names problems). */
const FIELD_OF: Record<keyof ExpenseDraft, string[]> = {
  amount: ['amount'], category: ['category'], date: ['date'], description: ['description'],
  originalAmount: ['original.amount', 'original'], originalCurrency: ['original.currency', 'original'],
};

/**
 * What is wrong with a draft, found before anything is sent and said about the value typed
 * ("abc" is not an amount, rather than the server's rule). The server still checks everything.
 */
export function draftProblems(draft: ExpenseDraft, currency: string): Record<string, string> {
  const problems: Record<string, string> = {};
  const amount = amountProblem(draft.amount, currency);
  if (amount) problems.amount = amount;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) problems.date = 'Choose a date';
  if (draft.originalAmount.trim() || draft.originalCurrency.trim()) {
    const code = draft.originalCurrency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) problems['original.currency'] = code ? `"${draft.originalCurrency.trim()}" is not a currency code: use three letters, e.g. EUR` : 'Enter the currency it was charged in, e.g. EUR';
    else {
      const original = amountProblem(draft.originalAmount, code);
      if (original) problems['original.amount'] = original;
    }
  }
  return problems;
}

/**
 * A draft with its field errors, for the add, edit and fix forms: an error goes as soon as the
 * value in its field is fixed (or says what is wrong with the new value), not at the next submit.
 */
export function useExpenseDraft(initial: () => ExpenseDraft, currency: string, initialErrors: Record<string, string> = {}) {
  const [draft, setDraft] = useState<ExpenseDraft>(initial);
  const [errors, setErrors] = useState<Record<string, string>>(initialErrors);
  const change = (patch: Partial<ExpenseDraft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    const changed = (Object.keys(patch) as (keyof ExpenseDraft)[]).flatMap((k) => FIELD_OF[k]);
    if (!changed.some((field) => errors[field])) return;
    const problems = draftProblems(next, currency);
    setErrors((current) => {
      const kept: Record<string, string> = {};
      for (const [field, message] of Object.entries(current)) {
        if (!changed.includes(field)) kept[field] = message;
        else if (problems[field]) kept[field] = problems[field]!;
      }
      return kept;
    });
  };
  /** Shows the draft's problems; true when there are none. */
  const check = () => {
    const problems = draftProblems(draft, currency);
    setErrors(problems);
    return Object.keys(problems).length === 0;
  };
  return { draft, setDraft, errors, setErrors, change, check };
}

/** Every currency the browser knows, for the original-amount and budget currency pickers (read on first use: it is slow). */
let knownCurrencies: readonly string[] | null = null;
export function currencyCodes(): readonly string[] {
  return knownCurrencies ??= typeof Intl.supportedValuesOf === 'function'
    ? Intl.supportedValuesOf('currency')
    : ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'KWD'];
}

/** Amount, category, date and note inputs, shared by the add form and the in-place edit form. */
export function ExpenseFields(props: {
  idPrefix: string;
  draft: ExpenseDraft;
  categories: readonly CategoryItem[];
  /** An edited expense may keep its archived category. */
  keepCategory?: Category;
  errors: Record<string, string>;
  onChange: (patch: Partial<ExpenseDraft>) => void;
  amountRef?: { current: HTMLInputElement | null };
}) {
  const { idPrefix: p, draft, errors, onChange } = props;
  const originalError = errors['original.amount'] ?? errors['original.currency'] ?? errors.original;
  const [opened, setOpened] = useState(false);
  const open = opened || !!(draft.originalAmount || originalError);
  return (
    <>
      <Field id={`${p}-amount`} label="Amount" error={errors.amount}>
        <input id={`${p}-amount`} name="amount" type="text" inputMode="decimal" autoComplete="off" required
          ref={props.amountRef} value={draft.amount}
          onInput={(e) => onChange({ amount: e.currentTarget.value })} {...invalidProps(`${p}-amount`, errors.amount)} />
      </Field>
      <Field id={`${p}-category`} label="Category" error={errors.category}>
        <select id={`${p}-category`} name="category" value={draft.category}
          onChange={(e) => onChange({ category: e.currentTarget.value as Category })} {...invalidProps(`${p}-category`, errors.category)}>
          {selectableCategories(props.categories, props.keepCategory).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      </Field>
      <Field id={`${p}-date`} label="Date" error={errors.date}>
        <input id={`${p}-date`} name="date" type="date" required value={draft.date}
          onInput={(e) => onChange({ date: e.currentTarget.value })} {...invalidProps(`${p}-date`, errors.date)} />
      </Field>
      <Field id={`${p}-description`} label="Note (optional)" error={errors.description} class="field--wide">
        <input id={`${p}-description`} name="description" type="text" maxLength={400} value={draft.description}
          onInput={(e) => onChange({ description: e.currentTarget.value })} {...invalidProps(`${p}-description`, errors.description)} />
      </Field>
      <details class="field--wide original-amount" open={open} onToggle={(e) => setOpened(e.currentTarget.open)}>
        <summary>Charged in another currency</summary>
        <div class="form-grid form-grid--tight">
          <Field id={`${p}-original-amount`} label="Amount charged" hint="Shown beside the expense; only the amount above counts" error={errors['original.amount']}>
            <input id={`${p}-original-amount`} name="originalAmount" type="text" inputMode="decimal" autoComplete="off" value={draft.originalAmount}
              onInput={(e) => onChange({ originalAmount: e.currentTarget.value })} {...invalidProps(`${p}-original-amount`, errors['original.amount'])} />
          </Field>
          <Field id={`${p}-original-currency`} label="Its currency" error={errors['original.currency'] ?? errors.original}>
            <input id={`${p}-original-currency`} name="originalCurrency" list={`${p}-currency-codes`} maxLength={3} autoComplete="off" value={draft.originalCurrency}
              onInput={(e) => onChange({ originalCurrency: e.currentTarget.value })}
              {...invalidProps(`${p}-original-currency`, errors['original.currency'] ?? errors.original)} />
            {/* Some 300 options: only in the page once the section is open. */}
            {open && <datalist id={`${p}-currency-codes`}>{currencyCodes().map((c) => <option key={c} value={c} />)}</datalist>}
          </Field>
        </div>
      </details>
    </>
  );
}
