import { useEffect, useRef, useState } from 'preact/hooks';
import { categoryName } from '../categories.js';
import { formatDay, formatMoney } from '../format.js';
import type { OfflineApi, OfflineStatus } from '../offline/offline-api.js';
import type { QueuedChange } from '../offline/store.js';
import type { CategoryItem, ExpenseInput } from '../types.js';
import { draftToInput, expenseToDraft, ExpenseFields, useExpenseDraft } from './ExpenseFields.js';

/** The changes not sent yet: each waiting, or refused with the server's reason and a way to fix or discard it. */
export function PendingChanges(props: {
  offline: OfflineApi; status: OfflineStatus | null; currency: string; categories: readonly CategoryItem[]; onChanged: () => void;
}) {
  const queued = props.status?.queued ?? [];
  const [fixing, setFixing] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  if (!queued.length) return null;
  const refused = queued.filter((q) => q.rejected).length;

  const sendNow = async () => {
    setSending(true);
    try {
      await props.offline.sync();
      props.onChanged();
    } finally {
      setSending(false);
    }
  };

  return (
    <section class="card pending-changes" aria-labelledby="pending-heading" data-testid="pending-changes">
      <div class="card-head">
        <h2 id="pending-heading" tabIndex={-1} ref={headingRef}>Not sent yet ({queued.length})</h2>
        {queued.length > refused && !props.status?.offline && (
          <button type="button" onClick={() => void sendNow()} disabled={sending}>{sending ? 'Sending…' : 'Send now'}</button>
        )}
      </div>
      <p class="muted">Kept on this device and sent in order when the server can be reached.{refused ? ' The server refused the changes marked below: fix or discard them.' : ''}</p>
      <ul class="pending-list">
        {queued.map((q) => fixing === q.key ? (
          <FixForm key={q.key} change={q} currency={props.currency} categories={props.categories}
            onSave={async (input) => {
              await props.offline.fix(q.key, input);
              setFixing(null);
              headingRef.current?.focus();
              void sendNow();
            }}
            onCancel={() => { setFixing(null); headingRef.current?.focus(); }} />
        ) : (
          <li key={q.key} class={`pending-item${q.rejected ? ' pending-item--rejected' : ''}`}>
            <span>{describe(q, props.currency, props.categories)}</span>
            <span class={q.rejected ? 'pending-reason' : 'muted'}>{q.rejected ? `Refused: ${q.rejected.reason}` : 'Waiting to be sent'}</span>
            <span class="pending-actions">
              {q.rejected && q.change.kind !== 'delete' && <button type="button" class="link" onClick={() => setFixing(q.key)}>Fix</button>}
              <button type="button" class="link danger" onClick={async () => { await props.offline.discard(q.key); props.onChanged(); headingRef.current?.focus(); }}
                aria-label={`Discard: ${describe(q, props.currency, props.categories)}`}>Discard</button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function inputOf(q: QueuedChange): ExpenseInput | null {
  const { change } = q;
  if (change.kind === 'delete') return change.before ?? null;
  return change.input;
}

/** "Add Food $3.50 on Tue, Dec 2 (coffee)". */
function describe(q: QueuedChange, currency: string, categories: readonly CategoryItem[]): string {
  const verb = q.change.kind === 'add' ? 'Add' : q.change.kind === 'update' ? 'Edit' : 'Delete';
  const input = inputOf(q);
  if (!input) return `${verb} an expense`;
  const amount = Number.isFinite(input.amount) ? formatMoney(input.amount, currency) : 'no amount';
  return `${verb} ${categoryName(categories, input.category)} ${amount} on ${formatDay(input.date)}${input.description ? ` (${input.description})` : ''}`;
}

function FixForm(props: { change: QueuedChange; currency: string; categories: readonly CategoryItem[]; onSave: (input: ExpenseInput) => Promise<void>; onCancel: () => void }) {
  const input = inputOf(props.change)!;
  const { draft, errors, change, check } = useExpenseDraft(() => expenseToDraft(input, props.currency), props.currency, props.change.rejected?.fields);
  const amountRef = useRef<HTMLInputElement | null>(null);
  useEffect(() => amountRef.current?.focus(), []);
  const p = `fix-${props.change.key}`;
  return (
    <li class="pending-item pending-item--fixing">
      <form onSubmit={(e) => { e.preventDefault(); if (check()) void props.onSave(draftToInput(draft, props.currency)); }} noValidate aria-label="Fix the refused change"
        onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); props.onCancel(); } }}>
        <p class="pending-reason">Refused: {props.change.rejected?.reason}</p>
        <div class="form-grid">
          <ExpenseFields idPrefix={p} draft={draft} categories={props.categories} keepCategory={input.category} errors={errors}
            amountRef={amountRef} onChange={change} />
        </div>
        <div class="form-actions">
          <button type="submit" class="primary">Save and send</button>
          <button type="button" onClick={props.onCancel}>Cancel</button>
        </div>
      </form>
    </li>
  );
}
