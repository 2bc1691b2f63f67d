import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { amountText, parseAmount } from '../format.js';
import type { Budget, Category, CategoryItem } from '../types.js';
import { toApiError } from './ExpenseForm.js';
import { currencyCodes } from './ExpenseFields.js';
import { Field, invalidProps } from './Field.js';

interface BudgetDraft {
  currency: string;
  monthlyLimit: string;
  categoryLimits: Record<Category, string>;
  thresholds: string;
  alertEmail: string;
  timeZone: string;
  /** 'total' for the monthly limit, or category ids: the limits that carry over. */
  rollover: string[];
  forecastThresholds: string;
  monthlyReport: boolean;
}

export function budgetToDraft(budget: Budget): BudgetDraft {
  const limits: Record<Category, string> = {};
  for (const [id, limit] of Object.entries(budget.categoryLimits)) limits[id] = amountText(limit, budget.currency);
  return {
    currency: budget.currency,
    monthlyLimit: amountText(budget.monthlyLimit, budget.currency),
    categoryLimits: limits,
    thresholds: budget.thresholds.join(', '),
    alertEmail: budget.alertEmail ?? '',
    timeZone: budget.timeZone,
    rollover: [...(budget.rollover.monthlyLimit ? ['total'] : []), ...Object.keys(budget.rollover.categoryLimits).filter((id) => budget.rollover.categoryLimits[id])],
    forecastThresholds: budget.forecastThresholds.join(', '),
    monthlyReport: budget.monthlyReport,
  };
}

function percentages(text: string): number[] {
  return text.split(/[\s,;%]+/).filter(Boolean).map((t) => (/^\d+$/.test(t) ? Number(t) : NaN));
}

/**
 * The PUT body: empty limits are "no limit"; anything unparseable goes as null for the server to
 * name. Limits are sent for open categories only (an archived one takes none).
 */
export function draftToBudget(draft: BudgetDraft, categories: readonly CategoryItem[]): Budget {
  const categoryLimits: Budget['categoryLimits'] = {};
  for (const { id } of categories.filter((c) => !c.archived)) {
    const text = draft.categoryLimits[id] ?? '';
    if (text.trim() !== '') categoryLimits[id] = parseAmount(text, draft.currency);
  }
  // A limit left empty cannot carry over: its mark goes with it.
  const carried = (scope: string, hasLimit: boolean) => hasLimit && draft.rollover.includes(scope);
  return {
    currency: draft.currency.trim().toUpperCase(),
    monthlyLimit: draft.monthlyLimit.trim() === '' ? null : parseAmount(draft.monthlyLimit, draft.currency),
    categoryLimits,
    thresholds: percentages(draft.thresholds),
    alertEmail: draft.alertEmail.trim() === '' ? null : draft.alertEmail.trim(),
    timeZone: draft.timeZone,
    rollover: {
      monthlyLimit: carried('total', draft.monthlyLimit.trim() !== ''),
      categoryLimits: Object.fromEntries(Object.keys(categoryLimits).filter((id) => carried(id, true)).map((id) => [id, true])),
    },
    forecastThresholds: percentages(draft.forecastThresholds),
    monthlyReport: draft.monthlyReport,
  };
}

/** Every zone the browser knows (UTC is not among Intl's list), plus the stored one. */
function timeZoneChoices(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...known])].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

/** Currency, monthly limit, per-category limits, thresholds and alert email; saving replaces the budget. */
export function BudgetForm(props: { api: ApiClient; budget: Budget; categories: readonly CategoryItem[]; onSaved: (budget: Budget) => void }) {
  const [draft, setDraft] = useState(() => budgetToDraft(props.budget));
  // Some 300 currencies and 400 zones: built once per zone, so a re-render of the page does not diff them again.
  // The currency suggestions only while the field is in use.
  const [choosingCurrency, setChoosingCurrency] = useState(false);
  const currencyOptions = useMemo(() => (choosingCurrency ? currencyCodes().map((c) => <option key={c} value={c} />) : null), [choosingCurrency]);
  // The zone picker holds only the chosen zone until it is touched or focused (then every zone, before it opens).
  const [choosingZone, setChoosingZone] = useState(false);
  const zoneOptions = useMemo(() => (choosingZone ? timeZoneChoices(draft.timeZone) : [draft.timeZone])
    .map((zone) => <option key={zone} value={zone}>{zone.replaceAll('_', ' ')}</option>), [draft.timeZone, choosingZone]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const savingRef = useRef(false);
  const dirty = useRef(false);
  useEffect(() => {
    if (!dirty.current) setDraft(budgetToDraft(props.budget));
  }, [props.budget]);

  const change = (patch: Partial<BudgetDraft>) => {
    dirty.current = true;
    setDraft((d) => ({ ...d, ...patch }));
  };
  const toggleRollover = (scope: string, on: boolean) => {
    dirty.current = true;
    setDraft((d) => ({ ...d, rollover: on ? [...d.rollover.filter((s) => s !== scope), scope] : d.rollover.filter((s) => s !== scope) }));
  };
  const carryBox = (scope: string, id: string, name: string) => (
    <label class="check" for={id}>
      <input type="checkbox" id={id} checked={draft.rollover.includes(scope)} onChange={(e) => toggleRollover(scope, e.currentTarget.checked)} />
      Carry over <span class="visually-hidden">the {name} limit's leftover</span>
    </label>
  );

  async function submit(event: Event) {
    event.preventDefault();
    if (savingRef.current) return;
    savingRef.current = true;
    setSaving(true);
    setStatus(null);
    try {
      const saved = await props.api.putBudget(draftToBudget(draft, props.categories));
      dirty.current = false;
      setErrors({});
      setDraft(budgetToDraft(saved));
      setStatus({ kind: 'ok', text: 'Budget saved.' });
      props.onSaved(saved);
    } catch (error) {
      const e = toApiError(error);
      setErrors(e.fields);
      setStatus({ kind: 'error', text: Object.keys(e.fields).length ? 'Please correct the marked fields.' : `${e.message} Your changes are kept.` });
    } finally {
      savingRef.current = false;
      setSaving(false);
    }
  }

  async function resendConfirmation() {
    setStatus(null);
    try {
      const { alertEmail } = await props.api.resendAlertEmailConfirmation();
      setStatus({ kind: 'ok', text: `Confirmation email sent again to ${alertEmail}.` });
    } catch (error) {
      setStatus({ kind: 'error', text: toApiError(error).message });
    }
  }

  return (
    <form class="card budget-form" onSubmit={submit} noValidate aria-labelledby="budget-heading">
      <h2 id="budget-heading">Budget</h2>
      <div class="form-grid">
        <Field id="budget-currency" label="Currency" error={errors.currency}>
          <input id="budget-currency" name="currency" list="currency-list" maxLength={3} autoComplete="off" value={draft.currency}
            onFocus={() => setChoosingCurrency(true)}
            onInput={(e) => change({ currency: e.currentTarget.value })} {...invalidProps('budget-currency', errors.currency)} />
          <datalist id="currency-list">{currencyOptions}</datalist>
        </Field>
        <Field id="budget-monthly" label="Monthly limit" hint="Empty for no limit" error={errors.monthlyLimit}>
          <input id="budget-monthly" name="monthlyLimit" inputMode="decimal" autoComplete="off" value={draft.monthlyLimit}
            onInput={(e) => change({ monthlyLimit: e.currentTarget.value })} {...invalidProps('budget-monthly', errors.monthlyLimit)} />
          {carryBox('total', 'budget-rollover-total', 'monthly')}
          {errors['rollover.monthlyLimit'] && <small class="field-error" role="alert">{errors['rollover.monthlyLimit']}</small>}
        </Field>
        <Field id="budget-thresholds" label="Alert thresholds (%)" hint="e.g. 80, 100" error={errors.thresholds}>
          <input id="budget-thresholds" name="thresholds" autoComplete="off" value={draft.thresholds}
            onInput={(e) => change({ thresholds: e.currentTarget.value })} {...invalidProps('budget-thresholds', errors.thresholds)} />
        </Field>
        <Field id="budget-forecast" label="Forecast alerts at (%)" hint="Warn ahead when the month-end forecast reaches these thresholds, e.g. 100; empty for none" error={errors.forecastThresholds}>
          <input id="budget-forecast" name="forecastThresholds" autoComplete="off" value={draft.forecastThresholds}
            onInput={(e) => change({ forecastThresholds: e.currentTarget.value })} {...invalidProps('budget-forecast', errors.forecastThresholds)} />
        </Field>
        <Field id="budget-time-zone" label="Time zone" hint={'Your "today" and "this month"'} error={errors.timeZone}>
          <select id="budget-time-zone" name="timeZone" value={draft.timeZone} onPointerDown={() => setChoosingZone(true)} onFocus={() => setChoosingZone(true)}
            onChange={(e) => change({ timeZone: e.currentTarget.value })} {...invalidProps('budget-time-zone', errors.timeZone)}>
            {zoneOptions}
          </select>
        </Field>
        <Field id="budget-email" label="Alert email" hint="Empty for no email. AWS first emails a link to confirm; alerts arrive once it is confirmed." error={errors.alertEmail} class="field--wide">
          <input id="budget-email" name="alertEmail" type="email" autoComplete="email" value={draft.alertEmail}
            onInput={(e) => change({ alertEmail: e.currentTarget.value })} {...invalidProps('budget-email', errors.alertEmail)} />
          <label class="check" for="budget-report">
            <input type="checkbox" id="budget-report" checked={draft.monthlyReport} onChange={(e) => change({ monthlyReport: e.currentTarget.checked })} />
            Email me a report of each month on the 1st
          </label>
          {errors.monthlyReport && <small class="field-error" role="alert">{errors.monthlyReport}</small>}
        </Field>
      </div>
      <fieldset>
        <legend>Limits per category</legend>
        <div class="form-grid form-grid--tight">
          {props.categories.filter((c) => !c.archived).map(({ id: c, name }) => {
            const id = `budget-limit-${c.toLowerCase()}`;
            const error = errors[`categoryLimits.${c}`];
            return (
              <Field key={c} id={id} label={name} error={error}>
                <input id={id} name={`categoryLimits.${c}`} inputMode="decimal" autoComplete="off" value={draft.categoryLimits[c] ?? ''}
                  placeholder="No limit"
                  onInput={(e) => {
                    const value = e.currentTarget.value;
                    dirty.current = true;
                    setDraft((d) => ({ ...d, categoryLimits: { ...d.categoryLimits, [c]: value } }));
                  }}
                  {...invalidProps(id, error)} />
                {carryBox(c, `budget-rollover-${c.toLowerCase()}`, name)}
              </Field>
            );
          })}
        </div>
        {errors.categoryLimits && <small class="field-error" role="alert">{errors.categoryLimits}</small>}
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="primary" disabled={saving}>{saving ? 'Saving…' : 'Save budget'}</button>
        {props.budget.alertEmail && (
          <button type="button" class="link" onClick={resendConfirmation}>Send the confirmation email again</button>
        )}
        <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
      </div>
    </form>
  );
}
