import { selectableCategories } from '../categories.js';
import type { Category, CategoryItem, Expense, ExpenseInput } from '../types.js';
import { amountText, parseAmount } from '../format.js';
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

export function expenseToDraft(expense: Expense, currency: string): ExpenseDraft {
  return {
    amount: amountText(expense.amount, currency), category: expense.category, date: expense.date, description: expense.description ?? '',
    originalAmount: expense.original ? amountText(expense.original.amount, expense.original.currency) : '',
    originalCurrency: expense.original?.currency ?? '',
  };
}

/** The API body for a draft: unparseable amounts go as null so the server names the problem. */
export function draftToInput(draft: ExpenseDraft): ExpenseInput {
  const description = draft.description.trim();
  const original = draft.originalAmount.trim();
  return {
    amount: parseAmount(draft.amount),
    category: draft.category,
    date: draft.date,
    ...(description ? { description } : {}),
    ...(original ? { original: { amount: parseAmount(original), currency: draft.originalCurrency.trim().toUpperCase() } } : {}),
  };
}

/** Every currency the browser knows, for the original-amount and budget currency pickers. */
export const CURRENCY_CODES: readonly string[] = typeof Intl.supportedValuesOf === 'function'
  ? Intl.supportedValuesOf('currency')
  : ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'KWD'];

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
      <details class="field--wide original-amount" open={!!(draft.originalAmount || originalError)}>
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
            <datalist id={`${p}-currency-codes`}>{CURRENCY_CODES.map((c) => <option key={c} value={c} />)}</datalist>
          </Field>
        </div>
      </details>
    </>
  );
}
