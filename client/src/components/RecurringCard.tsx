import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { categoryName, selectableCategories } from '../categories.js';
import { amountText, formatDay, formatMoney, parseAmount } from '../format.js';
import type { CategoryItem, Recurrence, RecurrenceInput, Schedule } from '../types.js';
import { toApiError } from './ExpenseForm.js';
import { Field, invalidProps } from './Field.js';
import { useAction } from './use-action.js';

interface Draft {
  amount: string;
  category: string;
  description: string;
  frequency: Schedule['frequency'];
  interval: string;
  startDate: string;
  /** Monthly: '' (the start date's day), '1'..'31' or '-1' (last day). */
  dayOfMonth: string;
  /** Weekly: '' (the start date's weekday) or MO..SU. */
  weekday: string;
  /** '' for no end, else the number of occurrences. */
  endAfter: string;
  /** '' for no end, else the last date allowed (YYYY-MM-DD); used when `endAfter` is empty. */
  endUntil: string;
  weekend: Schedule['weekend'];
}

const WEEKDAYS: [string, string][] = [['MO', 'Monday'], ['TU', 'Tuesday'], ['WE', 'Wednesday'], ['TH', 'Thursday'], ['FR', 'Friday'], ['SA', 'Saturday'], ['SU', 'Sunday']];

const FREQUENCY_UNITS: Record<Schedule['frequency'], [string, string]> = {
  daily: ['day', 'days'], weekly: ['week', 'weeks'], monthly: ['month', 'months'], yearly: ['year', 'years'],
};

function emptyDraft(today: string, category: string): Draft {
  return { amount: '', category, description: '', frequency: 'monthly', interval: '1', startDate: today, dayOfMonth: '', weekday: '', endAfter: '', endUntil: '', weekend: 'none' };
}

function toDraft(r: Recurrence, currency: string): Draft {
  const { schedule } = r;
  return {
    amount: amountText(r.amount, currency), category: r.category, description: r.description ?? '', frequency: schedule.frequency,
    interval: String(schedule.interval), startDate: schedule.startDate, dayOfMonth: schedule.dayOfMonth === undefined ? '' : String(schedule.dayOfMonth),
    weekday: schedule.weekday ?? '',
    endAfter: schedule.end && 'after' in schedule.end ? String(schedule.end.after) : '',
    endUntil: schedule.end && 'until' in schedule.end ? schedule.end.until : '', weekend: schedule.weekend,
  };
}

/** The API body for a draft; what does not parse goes as is, for the server to name. */
function toInput(d: Draft, currency: string): RecurrenceInput {
  const description = d.description.trim();
  const schedule: Schedule = {
    frequency: d.frequency, interval: Number(d.interval), startDate: d.startDate, weekend: d.weekend,
    ...(d.frequency === 'monthly' && d.dayOfMonth ? { dayOfMonth: Number(d.dayOfMonth) } : {}),
    ...(d.frequency === 'weekly' && d.weekday ? { weekday: d.weekday as NonNullable<Schedule['weekday']> } : {}),
    ...(d.endAfter.trim() ? { end: { after: Number(d.endAfter) } } : d.endUntil ? { end: { until: d.endUntil } } : {}),
  };
  return { amount: parseAmount(d.amount, currency), category: d.category, ...(description ? { description } : {}), schedule };
}

/** "every month on the last day", "every 2 weeks", "every year, 3 times". */
export function describeSchedule(schedule: Schedule): string {
  const [one, many] = FREQUENCY_UNITS[schedule.frequency];
  const every = schedule.interval === 1 ? `every ${one}` : `every ${schedule.interval} ${many}`;
  const day = schedule.frequency === 'monthly' && schedule.dayOfMonth !== undefined
    ? (schedule.dayOfMonth === -1 ? ' on the last day' : ` on day ${schedule.dayOfMonth}`) : '';
  const end = schedule.end ? ('after' in schedule.end ? `, ${schedule.end.after} times` : `, until ${schedule.end.until}`) : '';
  return `${every}${day}${end}`;
}

/** Bills that repeat: the list (skip the next one, edit, delete) and a form to add or change one. */
export function RecurringCard(props: { api: ApiClient; categories: readonly CategoryItem[]; currency: string; today: string; onChanged: () => void }) {
  const choices = selectableCategories(props.categories);
  const [items, setItems] = useState<Recurrence[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(props.today, choices[0]?.id ?? 'Other'));
  const { errors, setErrors, status, setStatus, busy, run: runAction } = useAction();

  const load = async () => {
    try {
      setItems(await props.api.listRecurring());
    } catch (error) {
      setStatus({ kind: 'error', text: toApiError(error).message });
    }
  };
  useEffect(() => { void load(); }, []);

  /** A change, then the list and the month again (occurrences already due were made). */
  const run = (action: () => Promise<string>) => runAction(async () => {
    const text = await action();
    await load();
    props.onChanged();
    return text;
  });

  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const input = toInput(draft, props.currency);
      const saved = editing ? await props.api.updateRecurring(editing, input) : await props.api.createRecurring(input);
      setEditing(null);
      setDraft(emptyDraft(props.today, draft.category));
      return `${editing ? 'Saved' : 'Added'} ${saved.description ?? categoryName(props.categories, saved.category)}: next ${saved.nextDate ? formatDay(saved.nextDate) : 'none (it has ended)'}.`;
    });
  };
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const error = (field: string) => errors[field];
  const money = (n: number) => formatMoney(n, props.currency);

  return (
    <section class="card recurring" aria-labelledby="recurring-heading">
      <h2 id="recurring-heading">Recurring</h2>
      {items === null ? <p class="muted">Loading recurring expenses…</p> : items.length === 0 ? <p class="empty">No recurring expenses yet: add rent or a subscription below.</p> : (
        <ul class="recurring-list">
          {items.map((r) => (
            <li key={r.id} class="recurring-item" data-id={r.id}>
              <span class="recurring-name">{r.description ?? categoryName(props.categories, r.category)}</span>
              <span class="recurring-amount">{money(r.amount)}</span>
              <span class="recurring-schedule muted">{describeSchedule(r.schedule)} · {r.nextDate ? `next ${formatDay(r.nextDate)}` : 'ended'}</span>
              <span class="recurring-actions">
                <button type="button" class="link" disabled={busy} onClick={() => { setEditing(r.id); setDraft(toDraft(r, props.currency)); setErrors({}); }}>Edit</button>
                {r.nextDate && <button type="button" class="link" disabled={busy} onClick={() => void run(async () => {
                  const skipped = await props.api.skipRecurring(r.id);
                  return `Skipped ${formatDay(r.nextDate!)}; next ${skipped.nextDate ? formatDay(skipped.nextDate) : 'none'}.`;
                })}>Skip next</button>}
                <button type="button" class="link danger" disabled={busy} onClick={() => void run(async () => {
                  await props.api.deleteRecurring(r.id);
                  return 'Deleted; the expenses it made stay.';
                })}>Delete</button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="recurring-form" onSubmit={submit} noValidate aria-label={editing ? 'Change the recurring expense' : 'Add a recurring expense'}>
        <div class="form-grid form-grid--tight">
          <Field id="recurring-amount" label={`Amount (${props.currency})`} error={error('amount')}>
            <input id="recurring-amount" inputMode="decimal" value={draft.amount} onInput={(e) => set({ amount: e.currentTarget.value })} {...invalidProps('recurring-amount', error('amount'))} />
          </Field>
          <Field id="recurring-category" label="Category" error={error('category')}>
            <select id="recurring-category" value={draft.category} onChange={(e) => set({ category: e.currentTarget.value })} {...invalidProps('recurring-category', error('category'))}>
              {choices.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </Field>
          <Field id="recurring-description" label="Description" error={error('description')}>
            <input id="recurring-description" value={draft.description} maxLength={200} onInput={(e) => set({ description: e.currentTarget.value })} {...invalidProps('recurring-description', error('description'))} />
          </Field>
          <Field id="recurring-frequency" label="Repeats" error={error('schedule.frequency')}>
            <select id="recurring-frequency" value={draft.frequency} onChange={(e) => set({ frequency: e.currentTarget.value as Schedule['frequency'] })}>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
              <option value="yearly">Yearly</option>
            </select>
          </Field>
          <Field id="recurring-interval" label="Every" hint={FREQUENCY_UNITS[draft.frequency][1]} error={error('schedule.interval')}>
            <input id="recurring-interval" inputMode="numeric" value={draft.interval} onInput={(e) => set({ interval: e.currentTarget.value })} {...invalidProps('recurring-interval', error('schedule.interval'))} />
          </Field>
          <Field id="recurring-start" label="Starting" error={error('schedule.startDate')}>
            <input id="recurring-start" type="date" value={draft.startDate} onInput={(e) => set({ startDate: e.currentTarget.value })} {...invalidProps('recurring-start', error('schedule.startDate'))} />
          </Field>
          {draft.frequency === 'monthly' && (
            <Field id="recurring-day" label="On day" error={error('schedule.dayOfMonth')}>
              <select id="recurring-day" value={draft.dayOfMonth} onChange={(e) => set({ dayOfMonth: e.currentTarget.value })}>
                <option value="">The start date's</option>
                {Array.from({ length: 31 }, (_, i) => <option key={i + 1} value={String(i + 1)}>{i + 1}{i >= 28 ? ' (or the last day)' : ''}</option>)}
                <option value="-1">The last day</option>
              </select>
            </Field>
          )}
          {draft.frequency === 'weekly' && (
            <Field id="recurring-weekday" label="On" error={error('schedule.weekday')}>
              <select id="recurring-weekday" value={draft.weekday} onChange={(e) => set({ weekday: e.currentTarget.value })}>
                <option value="">The start date's weekday</option>
                {WEEKDAYS.map(([code, name]) => <option key={code} value={code}>{name}</option>)}
              </select>
            </Field>
          )}
          <Field id="recurring-end" label="Times (empty: no end)" error={error('schedule.end.after') ?? error('schedule.end')}>
            <input id="recurring-end" inputMode="numeric" value={draft.endAfter} onInput={(e) => set({ endAfter: e.currentTarget.value })} {...invalidProps('recurring-end', error('schedule.end.after'))} />
          </Field>
          <Field id="recurring-until" label="Or until" error={error('schedule.end.until')}>
            <input id="recurring-until" type="date" value={draft.endUntil} disabled={draft.endAfter.trim() !== ''} onInput={(e) => set({ endUntil: e.currentTarget.value })} {...invalidProps('recurring-until', error('schedule.end.until'))} />
          </Field>
          <Field id="recurring-weekend" label="On a weekend">
            <select id="recurring-weekend" value={draft.weekend} onChange={(e) => set({ weekend: e.currentTarget.value as Schedule['weekend'] })}>
              <option value="none">Keep the day</option>
              <option value="before">Move to the Friday before</option>
              <option value="after">Move to the Monday after</option>
            </select>
          </Field>
        </div>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>{editing ? 'Save changes' : 'Add recurring expense'}</button>
          {editing && <button type="button" class="link" disabled={busy} onClick={() => { setEditing(null); setDraft(emptyDraft(props.today, draft.category)); setErrors({}); }}>Cancel</button>}
          <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
        </div>
      </form>
    </section>
  );
}
