import { expect } from 'chai';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { ImportCard, readFileText } from '../../client/src/components/ImportCard.js';
import { DEFAULT_CATEGORIES } from '../../client/src/categories.js';
import { byText, click, settle, useDom } from './dom.js';
import { FakeApi } from './fake-api.js';

describe('client import card (happy-dom)', () => {
  const dom = useDom();
  let api: FakeApi;
  let imported: number;

  beforeEach(async () => {
    api = new FakeApi();
    imported = 0;
    await act(() => render(h(ImportCard, { api, categories: DEFAULT_CATEGORIES, onImported: () => { imported++; } }), dom.container));
  });

  afterEach(async () => {
    await act(() => render(null, dom.container));
  });

  const $ = (selector: string) => dom.container.querySelector(selector) as HTMLElement | null;
  const status = () => $('[role="status"]')!.textContent ?? '';

  async function choose(file: File) {
    const input = $('#import-file') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(() => { input.dispatchEvent(new Event('change', { bubbles: true })); });
    await settle(10);
  }

  async function select(selector: string, value: string) {
    const element = $(selector) as HTMLSelectElement;
    await act(() => {
      element.value = value;
      element.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  it('reads UTF-8 files as such and Windows-1252 files (as Excel writes them) into the same text', async () => {
    expect(await readFileText(new Blob(['\ufeffdate,description\n2026-11-01,Café\n']))).to.deep.equal({ text: 'date,description\n2026-11-01,Café\n', encoding: 'UTF-8' });
    expect(await readFileText(new Blob([Buffer.from('date,description\n2026-11-01,Caf\xe9 \x80 5\n', 'latin1')]))).to.deep.equal({ text: 'date,description\n2026-11-01,Café € 5\n', encoding: 'Windows-1252' });
  });

  it('asks for the date format, previews with duplicates and errors marked, commits with progress, and undoes', async () => {
    api.seed({ amount: 4.2, category: 'Food', date: '2026-11-03', description: 'typed by hand' });
    await choose(new File(['date,amount,description\n03/11/2026,4.2,Bakery\n04/11/2026,2.9,Bus\n05/11/2026,abc,Broken\n'], 'bank.csv', { type: 'text/csv' }));
    expect(api.callsOf('startImport')[0]!.args[1]).to.equal('bank.csv');
    expect(status()).to.contain('The dates could be read as DD/MM/YYYY or MM/DD/YYYY: choose the date format');

    await click(byText(dom.container, 'button', 'Preview'));
    await settle();
    expect($('#import-date-format-error')!.textContent).to.contain('must be one of');
    expect($('#import-date-format')!.getAttribute('aria-invalid')).to.equal('true');

    await select('#import-date-format', 'DD/MM/YYYY');
    await click(byText(dom.container, 'button', 'Preview'));
    await settle();
    const rows = Array.from(dom.container.querySelectorAll('tbody tr')).map((row) => row.className);
    expect(rows).to.deep.equal(['import-row import-row--duplicate', 'import-row import-row--ok', 'import-row import-row--error']);
    expect(text()).to.contain('1 new, 1 possible duplicates, 0 already imported, 1 with errors');
    expect(text()).to.contain('amount: "abc" is not a number');
    expect(byText(dom.container, 'button', 'Import 1 row')).to.not.equal(null);
    // Only the rows of one status, asked of the server (the preview shows a page of them).
    await select('#import-filter', 'error');
    await settle();
    expect(api.callsOf('previewImport').at(-1)!.args[2]).to.deep.equal({ limit: 100, status: 'error' });
    expect(Array.from(dom.container.querySelectorAll('tbody tr')).map((row) => row.className)).to.deep.equal(['import-row import-row--error']);
    await select('#import-filter', '');
    await settle();

    // Keep the possible duplicate too: two rows go in, over two requests.
    await click($('tbody tr input[type="checkbox"]'));
    api.commitSteps = 2;
    await click(byText(dom.container, 'button', 'Import 2 rows'));
    await settle(10);
    expect(api.callsOf('commitImport').map((c) => (c.args[1] as { include: number[]; duplicates: string }))).to.deep.equal([
      { ...api.uploads[0]!.draft.suggested, dateFormat: 'DD/MM/YYYY', duplicates: 'skip', include: [2] },
      { ...api.uploads[0]!.draft.suggested, dateFormat: 'DD/MM/YYYY', duplicates: 'skip', include: [2] },
    ]);
    expect(status()).to.equal('Imported 2 expenses; 0 skipped, 1 with errors.');
    expect(imported).to.equal(1);
    expect(api.expenses).to.have.length(3);

    // The import stays in the list of earlier imports, where it can be undone later.
    await click(byText(dom.container, 'button', 'Import another file'));
    await settle();
    expect($('.import-history')!.textContent).to.contain('bank.csv').and.contain('2 imported');
    await click($('.import-history button'));
    await settle(10);
    expect(status()).to.equal('Undone: 2 expenses removed.');
    expect(api.expenses.map((e) => e.description)).to.deep.equal(['typed by hand']);
    expect($('#import-file')).to.not.equal(null);
    expect($('.import-history')!.textContent).to.contain('undone');
  });

  it('refuses a file over 5 MB before sending it', async () => {
    await choose(new File(['x'.repeat(5 * 1024 * 1024 + 1)], 'huge.csv'));
    expect(status()).to.contain('huge.csv is 5.0 MB; files of up to 5 MB can be imported');
    expect(api.callsOf('startImport')).to.deep.equal([]);
  });

  const text = () => dom.container.textContent ?? '';
});
