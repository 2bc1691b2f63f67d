import { CATEGORIES, type Category, type ExpenseInput } from '../types.js';
import { parseAmount } from '../format.js';
import { Field, invalidProps } from './Field.js';

export interface ExpenseDraft {
  amount: string;
  category: Category;
  date: string;
  description: string;
}

/** The API body for a draft: unparseable amounts go as null so the server names the problem. */
export function draftToInput(draft: ExpenseDraft): ExpenseInput {
  const description = draft.description.trim();
  return {
    amount: parseAmount(draft.amount),
    category: draft.category,
    date: draft.date,
    ...(description ? { description } : {}),
  };
}

/** Amount, category, date and note inputs, shared by the add form and the in-place edit form. */
export function ExpenseFields(props: {
  idPrefix: string;
  draft: ExpenseDraft;
  errors: Record<string, string>;
  onChange: (patch: Partial<ExpenseDraft>) => void;
  amountRef?: { current: HTMLInputElement | null };
}) {
  const { idPrefix: p, draft, errors, onChange } = props;
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
          {CATEGORIES.map((c) => <option key={c} value={c}>{c}</option>)}
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
    </>
  );
}
