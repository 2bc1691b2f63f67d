import { useEffect } from 'preact/hooks';
import { formatMoney } from '../format.js';
import { alertMessage, DELIVERY_LABELS, scopeName } from '../state.js';
import type { Alert } from '../types.js';

/** The alerts the last save raised, shown at once and announced to screen readers; Escape dismisses them. */
export function AlertBanner(props: { alerts: Alert[]; currency: string; onDismiss: () => void }) {
  const shown = props.alerts.length > 0;
  useEffect(() => {
    if (!shown) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) props.onDismiss();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [shown, props.onDismiss]);
  if (!shown) return null;
  const over = props.alerts.some((a) => a.threshold >= 100);
  return (
    <div class={`banner ${over ? 'banner--over' : 'banner--warn'}`} role="alert" data-testid="alert-banner">
      <span class="banner-icon" aria-hidden="true">⚠</span>
      <ul>
        {props.alerts.map((a) => <li key={a.id}>{alertMessage(a, props.currency)}</li>)}
      </ul>
      <button type="button" class="link" onClick={props.onDismiss}>Dismiss</button>
    </div>
  );
}

/** The month's alert history, oldest first, with each email's delivery state. */
export function AlertHistory(props: { alerts: Alert[] | null; currency: string }) {
  const { alerts } = props;
  return (
    <section class="card" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">Alerts this month</h2>
      {alerts === null ? <p class="muted" aria-busy="true">Loading alerts…</p>
        : !alerts.length ? <p class="empty">No alerts this month.</p>
        : (
          <ul class="alert-list" data-testid="alert-history">
            {alerts.map((a) => (
              <li key={a.id} class={`alert-item ${a.threshold >= 100 ? 'alert-item--over' : ''}`}>
                <span class="alert-text">
                  <strong>{a.threshold}% of {scopeName(a)} budget</strong>
                  <span class="muted"> {formatMoney(a.spent, props.currency)} of {formatMoney(a.limit, props.currency)} · {new Date(a.createdAt).toLocaleString()}</span>
                </span>
                <span class={`delivery delivery--${a.delivery}`}>{DELIVERY_LABELS[a.delivery]}</span>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
