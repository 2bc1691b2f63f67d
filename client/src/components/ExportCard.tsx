import { useState } from 'preact/hooks';
import type { ApiClient } from '../api.js';
import { Field, invalidProps } from './Field.js';
import { useAction } from './use-action.js';

/** Downloads the expenses of a range of months as one CSV file (the whole viewed year by default). */
export function ExportCard(props: { api: ApiClient; month: string }) {
  const year = props.month.slice(0, 4);
  const [from, setFrom] = useState(`${year}-01`);
  const [to, setTo] = useState(`${year}-12`);
  const { errors, status, busy, run } = useAction();

  function download(event: Event) {
    event.preventDefault();
    void run(async () => {
      const csv = await props.api.exportCsv(from, to);
      const rows = Math.max(0, csv.split('\r\n').filter(Boolean).length - 1);
      saveFile(csv, `expenses-${from}-${to}.csv`);
      return `Downloaded ${rows} ${rows === 1 ? 'expense' : 'expenses'}.`;
    });
  }

  return (
    <form class="card export" onSubmit={download} noValidate aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      <div class="form-grid form-grid--tight">
        <Field id="export-from" label="From" error={errors.from}>
          <input id="export-from" type="month" value={from} onInput={(e) => setFrom(e.currentTarget.value)} {...invalidProps('export-from', errors.from)} />
        </Field>
        <Field id="export-to" label="To" hint="At most ten years" error={errors.to}>
          <input id="export-to" type="month" value={to} onInput={(e) => setTo(e.currentTarget.value)} {...invalidProps('export-to', errors.to)} />
        </Field>
      </div>
      <div class="form-actions">
        <button type="submit" disabled={busy}>{busy ? 'Preparing…' : 'Download CSV'}</button>
        <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
      </div>
    </form>
  );
}

/** Hands the text to the browser as a file download. */
function saveFile(text: string, name: string): void {
  if (typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
