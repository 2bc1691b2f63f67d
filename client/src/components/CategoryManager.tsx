import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { repeatUntilDone } from '../repeat.js';
import type { CategoryItem, CategoryUsage } from '../types.js';
import { toApiError } from './ExpenseForm.js';
import { Field, invalidProps } from './Field.js';
import { useAction } from './use-action.js';


interface Removal {
  category: CategoryItem;
  usage: CategoryUsage;
  moveTo: string;
}

/**
 * The user's categories: add one, rename or recolour it, archive or unarchive it, and delete it,
 * moving its expenses to another category first after a confirmation that says how many move.
 */
export function CategoryManager(props: { api: ApiClient; categories: readonly CategoryItem[]; onChanged: () => void }) {
  const [name, setName] = useState('');
  const [color, setColor] = useState('');
  const { errors, status, setStatus, busy, run: runAction } = useAction();
  const [removal, setRemoval] = useState<Removal | null>(null);
  const dialogRef = useRef<HTMLDivElement | null>(null);
  // The confirmation takes the focus when it opens, so keyboard and screen-reader users land in it
  // (a layout effect: before the browser paints, so the focus never flickers elsewhere).
  const removing = removal?.category.id;
  useLayoutEffect(() => {
    if (removing) dialogRef.current?.querySelector<HTMLElement>('select, button')?.focus();
  }, [removing]);

  const run = (action: () => Promise<string>) => runAction(async () => {
    const text = await action();
    props.onChanged();
    return text;
  });

  const add = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const created = await props.api.createCategory({ name, ...(color ? { color } : {}) });
      setName('');
      setColor('');
      return `Added ${created.name}.`;
    });
  };

  async function startRemoval(category: CategoryItem) {
    setStatus(null);
    try {
      const usage = await props.api.getCategoryUsage(category.id);
      const target = props.categories.find((c) => c.id !== category.id && !c.archived);
      setRemoval({ category, usage, moveTo: target?.id ?? '' });
    } catch (error) {
      setStatus({ kind: 'error', text: toApiError(error).message });
    }
  }

  const confirmRemoval = () => {
    if (!removal) return;
    const { category, usage, moveTo } = removal;
    void run(async () => {
      let moved = 0;
      await repeatUntilDone(
        () => props.api.deleteCategory(category.id, usage.expenses > 0 ? moveTo : undefined),
        (answer) => answer.remaining === undefined,
        (answer) => {
          moved += answer.moved;
          if (answer.remaining !== undefined) setStatus({ kind: 'ok', text: `Moved ${moved} so far, ${answer.remaining} to go…` });
        },
        () => setStatus({ kind: 'ok', text: `Still moving ${category.name}'s expenses…` }),
      );
      setRemoval(null);
      const target = props.categories.find((c) => c.id === moveTo)?.name;
      return moved > 0 ? `Moved ${moved} ${moved === 1 ? 'expense' : 'expenses'} to ${target} and deleted ${category.name}.` : `Deleted ${category.name}.`;
    });
  };

  return (
    <section class="card categories" aria-labelledby="categories-heading">
      <h2 id="categories-heading">Categories</h2>
      <ul class="category-list">
        {props.categories.map((c) => (
          <CategoryRow key={`${c.id}:${c.name}:${c.color}`} category={c} disabled={busy}
            onSave={(patch) => void run(async () => `Saved ${(await props.api.updateCategory(c.id, patch)).name}.`)}
            onArchive={() => void run(async () => {
              const saved = await props.api.updateCategory(c.id, { archived: !c.archived });
              return saved.archived ? `Archived ${saved.name}: its expenses stay, new ones cannot use it.` : `${saved.name} is open again.`;
            })}
            onDelete={() => void startRemoval(c)} />
        ))}
      </ul>
      {removal && (
        <div class="confirm" role="alertdialog" aria-labelledby="remove-heading" aria-describedby="remove-text" ref={dialogRef}
          onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); setRemoval(null); } }}>
          <h3 id="remove-heading">Delete {removal.category.name}?</h3>
          {removal.usage.limited ? (
            <p id="remove-text">The budget has a limit on {removal.category.name}. Remove that limit first, then delete it.</p>
          ) : removal.usage.expenses === 0 ? (
            <p id="remove-text">No expense uses it.</p>
          ) : (
            <>
              <p id="remove-text">
                {removal.usage.expenses} {removal.usage.expenses === 1 ? 'expense' : 'expenses'}
                {removal.usage.months > 1 ? ` in ${removal.usage.months} months` : ''} will move to the category you choose; their totals move with them.
              </p>
              <Field id="remove-move-to" label="Move them to" error={errors.moveTo}>
                <select id="remove-move-to" value={removal.moveTo} onChange={(e) => setRemoval({ ...removal, moveTo: e.currentTarget.value })}
                  {...invalidProps('remove-move-to', errors.moveTo)}>
                  {props.categories.filter((c) => c.id !== removal.category.id && !c.archived).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                </select>
              </Field>
            </>
          )}
          <div class="form-actions">
            {!removal.usage.limited && (
              <button type="button" class="danger" disabled={busy} onClick={confirmRemoval}>
                {removal.usage.expenses > 0 ? `Move ${removal.usage.expenses} and delete` : 'Delete'}
              </button>
            )}
            <button type="button" onClick={() => setRemoval(null)}>Cancel</button>
          </div>
        </div>
      )}
      <form class="form-grid category-add" onSubmit={add} noValidate aria-label="Add a category">
        <Field id="category-new-name" label="New category" error={errors.name}>
          <input id="category-new-name" maxLength={80} autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)}
            {...invalidProps('category-new-name', errors.name)} />
        </Field>
        <Field id="category-new-color" label="Colour" hint="Optional" error={errors.color}>
          <input id="category-new-color" type="color" value={color || '#546e7a'} onInput={(e) => setColor(e.currentTarget.value)}
            {...invalidProps('category-new-color', errors.color)} />
        </Field>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || name.trim() === ''}>Add category</button>
        </div>
      </form>
      <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
    </section>
  );
}

function CategoryRow(props: {
  category: CategoryItem;
  disabled: boolean;
  onSave: (patch: { name?: string; color?: string }) => void;
  onArchive: () => void;
  onDelete: () => void;
}) {
  const { category } = props;
  const [name, setName] = useState(category.name);
  const [color, setColor] = useState(category.color);
  const changed = name.trim() !== category.name || color !== category.color;
  const p = `category-${category.id}`;
  return (
    <li class={`category-row${category.archived ? ' category-row--archived' : ''}`} data-id={category.id}>
      <label class="visually-hidden" for={`${p}-color`}>Colour of {category.name}</label>
      <input id={`${p}-color`} type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} disabled={props.disabled} />
      <label class="visually-hidden" for={`${p}-name`}>Name of {category.name}</label>
      <input id={`${p}-name`} value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} disabled={props.disabled} />
      {category.archived && <span class="muted">archived</span>}
      <span class="category-actions">
        {changed && (
          <button type="button" class="link" disabled={props.disabled}
            onClick={() => props.onSave({ ...(name.trim() !== category.name ? { name } : {}), ...(color !== category.color ? { color } : {}) })}>Save</button>
        )}
        <button type="button" class="link" disabled={props.disabled} onClick={props.onArchive}>{category.archived ? 'Unarchive' : 'Archive'}</button>
        <button type="button" class="link danger" disabled={props.disabled} onClick={props.onDelete}>Delete</button>
      </span>
    </li>
  );
}
