import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api.js';
import { repeatUntilDone } from '../repeat.js';
import type { CategoryItem, ImportDraft, ImportOutcome, ImportPreview, ImportRecord, ImportRow, ImportRowStatus, ImportSettings } from '../types.js';
import { Field, invalidProps } from './Field.js';
import { useAction } from './use-action.js';

/** The API's limit on an uploaded file. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const PREVIEW_ROWS = 100;

const COLUMN_FIELDS: [keyof ImportSettings['columns'], string][] = [
  ['date', 'Date'], ['amount', 'Amount'], ['debit', 'Debit (money out)'], ['credit', 'Credit (money in)'], ['category', 'Category'], ['description', 'Description'],
];
const PRESETS: Record<string, string> = {
  export: 'an export from this app', actual: 'an Actual Budget export', firefly: 'a Firefly III export', bank: 'a bank statement',
};
const STATUS_LABELS: Record<ImportRow['status'], string> = {
  ok: 'New', duplicate: 'Possible duplicate', recorded: 'Already imported', error: 'Error', skipped: 'Skipped',
};

/** Windows-1252's characters for bytes 0x80 to 0x9F (the rest of its upper half is Latin-1's). */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * The text of a file: UTF-8 (with or without a byte order mark), else Windows-1252, which Excel
 * on Windows still writes; the server takes UTF-8 only, so the page converts. Decoded by table:
 * Node's TextDecoder reads "windows-1252" as Latin-1, so the same code gives € everywhere.
 */
export async function readFileText(file: Blob): Promise<{ text: string; encoding: 'UTF-8' | 'Windows-1252' }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    let text = '';
    for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    return { text, encoding: 'Windows-1252' };
  }
}

type Step =
  | { kind: 'choose' }
  | { kind: 'map'; draft: ImportDraft; settings: ImportSettings; preview: ImportPreview | null }
  | { kind: 'done'; draft: ImportDraft; imported: number; skipped: number; rejected: number };

/**
 * Import from a CSV file: choose it, check how its columns are read against a preview (possible
 * duplicates and errors highlighted), commit with progress, and undo the whole import.
 */
export function ImportCard(props: { api: ApiClient; categories: readonly CategoryItem[]; onImported: () => void }) {
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const { errors, status, setStatus, busy, run } = useAction();
  const [duplicates, setDuplicates] = useState<'skip' | 'import'>('skip');
  const [included, setIncluded] = useState<number[]>([]);
  const [filter, setFilter] = useState<ImportRowStatus | ''>('');
  const [history, setHistory] = useState<ImportRecord[] | null>(null);
  const loadHistory = async () => {
    try {
      setHistory(await props.api.listImports());
    } catch {
      setHistory(null);
    }
  };
  useEffect(() => { void loadHistory(); }, []);

  const choose = (file: File | undefined) => {
    if (!file) return;
    void run(async () => {
      if (file.size > MAX_FILE_BYTES) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; files of up to 5 MB can be imported: split it by year.`);
      const { text, encoding } = await readFileText(file);
      const draft = await props.api.startImport(text, file.name);
      setIncluded([]);
      setStep({ kind: 'map', draft, settings: draft.suggested, preview: null });
      const found = draft.preset ? `This looks like ${PRESETS[draft.preset]}. ` : '';
      const read = encoding === 'UTF-8' ? '' : 'Read as Windows-1252. ';
      return `${read}${found}${askText(draft) || 'Check the preview, then import.'}`;
    });
  };

  const showPreview = (draft: ImportDraft, settings: ImportSettings, only: ImportRowStatus | '' = filter) => void run(async () => {
    const preview = await props.api.previewImport(draft.id, settings, { limit: PREVIEW_ROWS, ...(only ? { status: only } : {}) });
    setFilter(only);
    setStep({ kind: 'map', draft, settings, preview });
    return null;
  });

  const commit = (draft: ImportDraft, settings: ImportSettings) => void run(async () => {
    const body = { ...settings, duplicates, include: included };
    const outcome = await repeatUntilDone(
      () => props.api.commitImport(draft.id, body),
      (answer): answer is Extract<ImportOutcome, { status: 'committed' }> => answer.status === 'committed',
      (answer) => { if (answer.status === 'committing') setStatus({ kind: 'ok', text: `Imported ${answer.imported}, ${answer.remaining} to go…` }); },
    );
    setStep({ kind: 'done', draft, ...outcome });
    props.onImported();
    void loadHistory();
    return `Imported ${outcome.imported} ${outcome.imported === 1 ? 'expense' : 'expenses'}; ${outcome.skipped} skipped, ${outcome.rejected} with errors.`;
  });

  const undo = (id: string) => void run(async () => {
    let removed = 0;
    await repeatUntilDone(() => props.api.undoImport(id), (answer) => answer.remaining === undefined, (answer) => { removed += answer.removed; });
    setStep({ kind: 'choose' });
    props.onImported();
    void loadHistory();
    return `Undone: ${removed} ${removed === 1 ? 'expense' : 'expenses'} removed.`;
  });

  return (
    <section class="card import" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      {step.kind === 'choose' && (
        <Field id="import-file" label="CSV file" hint="From your bank, a spreadsheet, Actual Budget or Firefly III; up to 5 MB" error={errors.file}>
          <input id="import-file" type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => choose(e.currentTarget.files?.[0])} {...invalidProps('import-file', errors.file)} />
        </Field>
      )}
      {step.kind === 'choose' && history && history.some((i) => i.status !== 'draft') && (
        <ul class="import-history" aria-label="Earlier imports">
          {history.filter((i) => i.status !== 'draft').map((i) => (
            <li key={i.id}>
              <span>{i.fileName}</span>
              <span class="muted">{i.status === 'committed' ? `${i.result?.imported ?? 0} imported` : i.status === 'committing' ? 'not finished' : 'undone'}</span>
              {(i.status === 'committed' || i.status === 'committing' || i.status === 'undoing') && (
                <button type="button" class="link danger" disabled={busy} onClick={() => undo(i.id)} aria-label={`Undo the import of ${i.fileName}`}>Undo</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {step.kind === 'map' && (
        <Mapping step={step} categories={props.categories} errors={errors} busy={busy}
          duplicates={duplicates} onDuplicates={setDuplicates} included={included} onIncluded={setIncluded}
          onChange={(settings) => setStep({ ...step, settings, preview: null })}
          onPreview={() => showPreview(step.draft, step.settings)}
          filter={filter} onFilter={(only) => showPreview(step.draft, step.settings, only)}
          onCommit={() => commit(step.draft, step.settings)}
          onCancel={() => { setStep({ kind: 'choose' }); setStatus(null); }} />
      )}
      {step.kind === 'done' && (
        <div class="form-actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => undo(step.draft.id)}>Undo this import</button>
          <button type="button" class="link" disabled={busy} onClick={() => { setStep({ kind: 'choose' }); setStatus(null); }}>Import another file</button>
        </div>
      )}
      <p class={`form-status ${status?.kind ?? ''}`} role="status" aria-live="polite">{status?.text ?? ''}</p>
    </section>
  );
}

function askText(draft: ImportDraft): string {
  const asks: string[] = [];
  if (draft.ask.dateFormat) asks.push(`the dates could be read as ${draft.ask.dateFormat.join(' or ')}: choose the date format`);
  if (draft.ask.decimalSeparator) asks.push('the amounts could use "." or "," for decimals: choose the decimal separator');
  return asks.length ? `${asks.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()) : '';
}

function Mapping(props: {
  step: Extract<Step, { kind: 'map' }>;
  categories: readonly CategoryItem[];
  errors: Record<string, string>;
  busy: boolean;
  duplicates: 'skip' | 'import';
  onDuplicates: (choice: 'skip' | 'import') => void;
  included: number[];
  onIncluded: (lines: number[]) => void;
  onChange: (settings: ImportSettings) => void;
  onPreview: () => void;
  filter: ImportRowStatus | '';
  onFilter: (only: ImportRowStatus | '') => void;
  onCommit: () => void;
  onCancel: () => void;
}) {
  const { draft, settings, preview } = props.step;
  const set = (patch: Partial<ImportSettings>) => props.onChange({ ...settings, ...patch });
  const setColumn = (field: keyof ImportSettings['columns'], name: string) => {
    const columns = { ...settings.columns };
    if (name) columns[field] = name;
    else delete columns[field];
    set({ columns });
  };
  const active = props.categories.filter((c) => !c.archived);
  const kept = preview ? preview.counts.ok + (props.duplicates === 'import' ? preview.counts.duplicate : props.included.length) : 0;
  const error = (name: string) => props.errors[name];
  return (
    <form class="import-mapping" noValidate onSubmit={(e) => { e.preventDefault(); props.onPreview(); }}>
      <p class="muted">{draft.fileName}: {draft.records} records.</p>
      <div class="form-grid form-grid--tight">
        {COLUMN_FIELDS.map(([field, label]) => (
          <Field key={field} id={`import-column-${field}`} label={label} error={error(`columns.${field}`)}>
            <select id={`import-column-${field}`} value={settings.columns[field] ?? ''} onChange={(e) => setColumn(field, e.currentTarget.value)} {...invalidProps(`import-column-${field}`, error(`columns.${field}`))}>
              <option value="">{field === 'date' ? 'Choose…' : 'None'}</option>
              {draft.columns.map((name) => <option key={name} value={name}>{name}</option>)}
            </select>
          </Field>
        ))}
        <Field id="import-date-format" label="Date format" error={error('dateFormat')} hint={draft.ask.dateFormat ? 'Your dates fit more than one format: choose' : undefined}>
          <select id="import-date-format" value={settings.dateFormat ?? ''} onChange={(e) => set({ dateFormat: e.currentTarget.value || null })} {...invalidProps('import-date-format', error('dateFormat'))}>
            <option value="">Choose…</option>
            {['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY'].map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </Field>
        <Field id="import-decimal" label="Decimal separator" error={error('decimalSeparator')}>
          <select id="import-decimal" value={settings.decimalSeparator ?? ''} onChange={(e) => set({ decimalSeparator: (e.currentTarget.value || null) as ImportSettings['decimalSeparator'] })} {...invalidProps('import-decimal', error('decimalSeparator'))}>
            <option value="">Choose…</option>
            <option value=".">1,234.56</option>
            <option value=",">1.234,56</option>
          </select>
        </Field>
        <Field id="import-sign" label="Spending is">
          <select id="import-sign" value={settings.spendingSign} onChange={(e) => set({ spendingSign: e.currentTarget.value as ImportSettings['spendingSign'] })}>
            <option value="negative">Negative (money out; positive rows are income)</option>
            <option value="positive">Positive</option>
          </select>
        </Field>
        <Field id="import-default-category" label="Other rows go to" error={error('defaultCategory')}>
          <select id="import-default-category" value={settings.defaultCategory} onChange={(e) => set({ defaultCategory: e.currentTarget.value })}>
            {active.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Field>
        <div class="field">
          <label><input type="checkbox" checked={settings.header} onChange={(e) => set({ header: e.currentTarget.checked, columns: {} })} /> First row names the columns</label>
        </div>
      </div>
      {settings.categories.length > 0 && (
        <fieldset class="import-categories">
          <legend>Categories in the file</legend>
          {settings.categories.map((entry, i) => (
            <Field key={entry.name} id={`import-category-${i}`} label={entry.name} error={error(`categories[${i}].to`) ?? error(`categories[${i}].name`)}>
              <select id={`import-category-${i}`} value={entry.to} onChange={(e) => set({ categories: settings.categories.map((c, j) => (j === i ? { ...c, to: e.currentTarget.value } : c)) })}>
                <option value="new">New category “{entry.name}”</option>
                <option value="default">The “other rows” category</option>
                {active.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </Field>
          ))}
        </fieldset>
      )}
      <div class="form-actions">
        <button type="submit" disabled={props.busy}>Preview</button>
        <button type="button" class="link" disabled={props.busy} onClick={props.onCancel}>Choose another file</button>
      </div>
      {preview && (
        <>
          <p class="import-counts">
            {preview.counts.ok} new, {preview.counts.duplicate} possible duplicates, {preview.counts.recorded} already imported, {preview.counts.error} with errors, {preview.counts.skipped} skipped (not spending).
          </p>
          {preview.counts.duplicate > 0 && (
            <fieldset class="import-duplicates">
              <legend>Possible duplicates: same amount as an expense you have, at most 3 days apart</legend>
              <label><input type="radio" name="import-duplicates" checked={props.duplicates === 'skip'} onChange={() => props.onDuplicates('skip')} /> Skip them, except those ticked below</label>
              <label><input type="radio" name="import-duplicates" checked={props.duplicates === 'import'} onChange={() => props.onDuplicates('import')} /> Import them all</label>
            </fieldset>
          )}
          <Field id="import-filter" label="Show">
            <select id="import-filter" value={props.filter} disabled={props.busy} onChange={(e) => props.onFilter(e.currentTarget.value as ImportRowStatus | '')}>
              <option value="">All rows</option>
              {(Object.keys(STATUS_LABELS) as ImportRowStatus[]).map((s) => <option key={s} value={s}>{STATUS_LABELS[s]} ({preview.counts[s]})</option>)}
            </select>
          </Field>
          <div class="table-scroll">
            <table class="import-preview">
              <caption>{preview.nextOffset === null ? `${preview.rows.length} rows` : `First ${preview.rows.length} rows`}{props.filter ? `: ${STATUS_LABELS[props.filter].toLowerCase()}` : ''}</caption>
              <thead><tr><th scope="col">Line</th><th scope="col">Status</th><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Description</th><th scope="col">Note</th></tr></thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.line} class={`import-row import-row--${row.status}`}>
                    <td>{row.line}</td>
                    <td>
                      {row.status === 'duplicate' && props.duplicates === 'skip' ? (
                        <label><input type="checkbox" checked={props.included.includes(row.line)}
                          onChange={(e) => props.onIncluded(e.currentTarget.checked ? [...props.included, row.line] : props.included.filter((l) => l !== row.line))} /> {STATUS_LABELS[row.status]}: import</label>
                      ) : STATUS_LABELS[row.status]}
                    </td>
                    <td>{row.date ?? ''}</td>
                    <td class="amount">{row.amount ?? ''}</td>
                    <td>{row.description ?? ''}</td>
                    <td>{rowNote(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="form-actions">
            <button type="button" disabled={props.busy || kept === 0} onClick={props.onCommit}>Import {kept} {kept === 1 ? 'row' : 'rows'}</button>
          </div>
        </>
      )}
    </form>
  );
}

function rowNote(row: ImportRow): string {
  if (row.problems) return row.problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
  if (row.reason) return row.reason;
  if (row.duplicateOf) return `Like ${row.duplicateOf.date} ${row.duplicateOf.description ?? ''}`.trim();
  return row.warnings?.join('; ') ?? '';
}
