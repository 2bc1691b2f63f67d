import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import sinon from 'sinon';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { ApiError } from '../../client/src/api.js';
import { App } from '../../client/src/components/App.js';
import { AlertHistory } from '../../client/src/components/Alerts.js';
import { BudgetBar } from '../../client/src/components/Overview.js';
import type { Alert } from '../../client/src/types.js';
import { byText, click, settle, submit, type, useDom } from './dom.js';
import { FakeApi } from './fake-api.js';

const TODAY = '2026-11-15';

describe('client page components (happy-dom)', () => {
  const dom = useDom();
  let api: FakeApi;

  beforeEach(() => {
    api = new FakeApi();
  });

  afterEach(async () => {
    await act(() => render(null, dom.container));
  });

  async function mount(props: Partial<Parameters<typeof App>[0]> = {}) {
    await act(() => render(h(App, { api, today: TODAY, deviceTimeZone: 'UTC', ...props }), dom.container));
    await settle();
  }

  const $ = (selector: string) => dom.container.querySelector(selector) as HTMLElement | null;
  const text = () => dom.container.textContent ?? '';

  it('shows empty states for a month without expenses', async () => {
    await mount();
    expect($('#month-label')!.textContent).to.equal('November 2026');
    expect(text()).to.contain('No expenses for November 2026 yet.');
    expect(text()).to.contain('No alerts this month.');
    expect($('[data-testid="total-spent"]')!.textContent).to.equal('$0.00');
  });

  it('labels every form field', async () => {
    await mount();
    for (const input of Array.from(dom.container.querySelectorAll('input, select'))) {
      const id = input.getAttribute('id');
      expect(id, input.outerHTML).to.be.a('string');
      expect(dom.container.querySelector(`label[for="${id}"]`), `label for ${id}`).to.not.equal(null);
    }
  });

  it('adds an expense with an Idempotency-Key, then shows it, the new total and the chart', async () => {
    await mount();
    expect(($('#add-date') as HTMLInputElement).value).to.equal(TODAY);
    await type($('#add-amount'), '12.50');
    await type($('#add-category'), 'Transport');
    await type($('#add-description'), '  bus pass ');
    await submit($('form.expense-form'));
    await settle();
    const [call] = api.callsOf('addExpense');
    expect(call!.args[0]).to.deep.equal({ amount: 12.5, category: 'Transport', date: TODAY, description: 'bus pass' });
    expect(call!.args[1]).to.be.a('string').with.length.greaterThan(8);
    expect($('[data-testid="total-spent"]')!.textContent).to.equal('$12.50');
    expect($('.expense-list')!.textContent).to.contain('bus pass');
    expect($('[data-testid="category-chart"] [data-category="Transport"]')).to.not.equal(null);
    expect(($('#add-amount') as HTMLInputElement).value).to.equal('');
    expect(($('#add-category') as HTMLSelectElement).value).to.equal('Transport');
  });

  it('records what was charged in another currency and shows it beside the amount', async () => {
    await mount();
    await type($('#add-amount'), '8.40');
    await type($('#add-original-amount'), '1350');
    await type($('#add-original-currency'), 'jpy');
    await submit($('form.expense-form'));
    await settle();
    const [call] = api.callsOf('addExpense');
    expect(call!.args[0]).to.deep.include({ amount: 8.4, original: { amount: 1350, currency: 'JPY' } });
    expect($('.expense-list .expense-original')!.textContent).to.equal(' (¥1,350)');
    expect($('[data-testid="total-spent"]')!.textContent).to.equal('$8.40');
  });

  it('says on its own field what is wrong with the original amount typed, sending nothing, with the form kept', async () => {
    await mount();
    await type($('#add-amount'), '8.40');
    await type($('#add-original-amount'), '1.5');
    await type($('#add-original-currency'), 'JPY');
    await submit($('form.expense-form'));
    await settle();
    expect(api.callsOf('addExpense')).to.deep.equal([]);
    expect($('#add-original-amount')!.getAttribute('aria-invalid')).to.equal('true');
    expect($('#add-original-amount-error')!.textContent).to.contain('"1.5" has decimals, which this currency does not');
    expect(($('#add-original-amount') as HTMLInputElement).value).to.equal('1.5');
    expect(document.activeElement?.id).to.equal('add-original-amount');
  });

  it('manages categories: a new one is offered by the add form and shown by name; archiving takes it out of the form', async () => {
    await mount();
    await type($('#category-new-name'), 'Pets');
    await submit($('form.category-add'));
    await settle();
    expect(api.callsOf('createCategory')[0]!.args[0]).to.deep.equal({ name: 'Pets' });
    const pets = api.categories.find((c) => c.name === 'Pets')!;
    const options = () => Array.from(dom.container.querySelectorAll('#add-category option')).map((o) => o.textContent);
    expect(options()).to.include('Pets');
    await type($('#add-amount'), '30');
    await type($('#add-category'), pets.id);
    await submit($('form.expense-form'));
    await settle();
    expect(api.callsOf('addExpense')[0]!.args[0]).to.deep.include({ category: pets.id });
    expect($('.expense-list .chip')!.textContent).to.equal('Pets');
    expect($(`[data-testid="category-chart"] [data-category="${pets.id}"]`)!.textContent).to.contain('Pets');
    // Rename: every place that shows the category shows the new name.
    await type($(`#category-${pets.id}-name`), 'Animals');
    await click(byText(dom.container, 'button', 'Save'));
    await settle();
    expect(api.callsOf('updateCategory')[0]!.args).to.deep.equal([pets.id, { name: 'Animals' }]);
    expect($('.expense-list .chip')!.textContent).to.equal('Animals');
    // Archive: out of the add form, still in the list's filter and on its expenses.
    await click($(`.category-row[data-id="${pets.id}"]`)!.querySelector('button:nth-of-type(1)') as HTMLElement);
    await settle();
    expect(api.categories.find((c) => c.id === pets.id)!.archived).to.equal(true);
    expect(options()).to.not.include('Animals');
    expect(Array.from(dom.container.querySelectorAll('#filter-category option')).map((o) => o.textContent)).to.include('Animals (archived)');
  });

  it('deletes a category after a confirmation saying how many expenses move, and moves them to the chosen one', async () => {
    api.seed({ amount: 10, category: 'Travel', date: '2026-11-03' });
    api.seed({ amount: 5, category: 'Travel', date: '2026-10-20' });
    await mount();
    await click($('.category-row[data-id="Travel"]')!.querySelector('button.danger') as HTMLElement);
    await settle();
    expect($('.confirm')!.textContent).to.contain('2 expenses in 2 months will move');
    expect(document.activeElement?.id, 'the confirmation takes the focus').to.equal('remove-move-to');
    await type($('#remove-move-to'), 'Other');
    await click(byText(dom.container, 'button', 'Move 2 and delete'));
    await settle();
    expect(api.callsOf('deleteCategory')[0]!.args).to.deep.equal(['Travel', 'Other']);
    expect(text()).to.contain('Moved 2 expenses to Other and deleted Travel.');
    expect(api.expenses.every((e) => e.category === 'Other')).to.equal(true);
    expect(dom.container.querySelector('.category-row[data-id="Travel"]')).to.equal(null);
    expect($('.expense-list .chip')!.textContent).to.equal('Other');
  });

  it('carries on a merge the server paused (202) until it is done, adding up what moved', async () => {
    for (let i = 0; i < 3; i++) api.seed({ amount: 10, category: 'Travel', date: '2026-11-03' });
    await mount();
    const realDelete = api.deleteCategory.bind(api);
    let calls = 0;
    api.deleteCategory = async (id, moveTo) => {
      calls += 1;
      if (calls === 1) {
        api.expenses[0]!.category = moveTo!;
        return { moved: 1, remaining: 2 };
      }
      return realDelete(id, moveTo);
    };
    await click($('.category-row[data-id="Travel"]')!.querySelector('button.danger') as HTMLElement);
    await settle();
    await click(byText(dom.container, 'button', 'Move 3 and delete'));
    await settle();
    expect(calls).to.equal(2);
    expect(text()).to.contain('Moved 3 expenses to Food and deleted Travel.');
  });

  it('exports the viewed year as CSV by default, and shows the server\'s message for a bad range', async () => {
    api.seed({ amount: 10, category: 'Travel', date: '2026-11-03' });
    api.seed({ amount: 5, category: 'Food', date: '2026-02-20' });
    await mount();
    await submit($('form.export'));
    await settle();
    expect(api.callsOf('exportCsv')[0]!.args).to.deep.equal(['2026-01', '2026-12']);
    expect($('form.export .form-status')!.textContent).to.equal('Downloaded 2 expenses.');
    api.failWith = new ApiError(400, 'VALIDATION_FAILED', 'Invalid query parameter: to', { to: 'must not be before from' });
    await type($('#export-to'), '2025-12');
    await submit($('form.export'));
    await settle();
    api.failWith = null;
    expect($('#export-to')!.getAttribute('aria-invalid')).to.equal('true');
    expect(text()).to.contain('must not be before from');
  });

  it('repeats a merge the network cut off, which the server finishes where it stopped', async () => {
    api.seed({ amount: 10, category: 'Travel', date: '2026-11-03' });
    await mount();
    const realDelete = api.deleteCategory.bind(api);
    let calls = 0;
    api.deleteCategory = async (id, moveTo) => {
      calls += 1;
      if (calls === 1) throw new ApiError(0, 'NETWORK', 'Cannot reach the server.');
      return realDelete(id, moveTo);
    };
    await click($('.category-row[data-id="Travel"]')!.querySelector('button.danger') as HTMLElement);
    await settle();
    await click(byText(dom.container, 'button', 'Move 1 and delete'));
    await settle();
    expect(calls).to.equal(2);
    expect(text()).to.contain('deleted Travel.');
  });

  it('saves once when the form is submitted twice quickly, with the button disabled meanwhile', async () => {
    await mount();
    let open!: () => void;
    api.addGate = new Promise((resolve) => (open = resolve));
    await type($('#add-amount'), '5');
    await submit($('form.expense-form'));
    await submit($('form.expense-form'));
    const button = byText(dom.container, 'button', 'Saving…') as HTMLButtonElement;
    expect(button).to.not.equal(null);
    expect(button.disabled).to.equal(true);
    open();
    await settle();
    expect(api.callsOf('addExpense')).to.have.length(1);
    expect(api.expenses).to.have.length(1);
  });

  it('says what is wrong with each amount typed (empty, "abc", "0", "12.345") before sending, and clears it once fixed', async () => {
    await mount();
    const problemFor = async (typed: string) => {
      await type($('#add-amount'), typed);
      await submit($('form.expense-form'));
      await settle();
      return $('#add-amount-error')?.textContent ?? null;
    };
    expect(await problemFor('')).to.contain('Enter an amount, e.g. 12.50');
    expect(await problemFor('abc')).to.contain('"abc" is not an amount');
    expect(await problemFor('0')).to.contain('must be more than 0 ("0" is not)');
    expect(await problemFor('12.345')).to.contain('"12.345" could be 12345 or 12.345');
    expect(api.callsOf('addExpense'), 'nothing sent').to.deep.equal([]);
    expect(document.activeElement?.id).to.equal('add-amount');
    expect($('#add-amount')!.getAttribute('aria-invalid')).to.equal('true');
    // Typing a value that is still wrong says what is wrong with it now; a right one clears the error at once.
    await type($('#add-amount'), '1,23,4');
    expect($('#add-amount-error')!.textContent).to.contain('"1,23,4" is not an amount');
    await type($('#add-amount'), '1,5');
    expect($('#add-amount-error')).to.equal(null);
    expect($('#add-amount')!.getAttribute('aria-invalid')).to.equal(null);
    await submit($('form.expense-form'));
    await settle();
    expect((api.callsOf('addExpense')[0]!.args[0] as { amount: number }).amount, 'the same decimal rule as quick add').to.equal(1.5);
  });

  it('shows the server field message next to the field and keeps what was typed', async () => {
    await mount();
    await type($('#add-amount'), '4');
    await type($('#add-description'), 'lunch');
    api.failWith = new ApiError(400, 'VALIDATION_FAILED', 'Invalid fields', { description: 'must not contain control characters' });
    await submit($('form.expense-form'));
    await settle();
    api.failWith = null;
    expect(api.callsOf('addExpense')).to.have.length(1);
    expect($('#add-description-error')!.textContent).to.contain('must not contain control characters');
    expect($('#add-description')!.getAttribute('aria-invalid')).to.equal('true');
    expect(document.activeElement?.id).to.equal('add-description');
    expect(($('#add-amount') as HTMLInputElement).value).to.equal('4');
    expect(($('#add-description') as HTMLInputElement).value).to.equal('lunch');
  });

  it('reuses the Idempotency-Key when the same entry is retried after a network failure', async () => {
    await mount();
    await type($('#add-amount'), '9.99');
    api.failWith = new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
    await submit($('form.expense-form'));
    await settle();
    expect(text()).to.contain('Cannot reach the server');
    expect(($('#add-amount') as HTMLInputElement).value).to.equal('9.99');
    api.failWith = null;
    await submit($('form.expense-form'));
    await settle();
    const keys = api.callsOf('addExpense').map((c) => c.args[1]);
    expect(keys).to.have.length(2);
    expect(keys[0]).to.equal(keys[1]);
    await type($('#add-amount'), '9.99');
    await submit($('form.expense-form'));
    await settle();
    expect(api.callsOf('addExpense')[2]!.args[1]).to.not.equal(keys[0]);
  });

  it('shows the alerts a save raised as a banner and lists them with their delivery state', async () => {
    api.budget = { ...api.budget, categoryLimits: { Food: 100 } };
    await mount();
    const alert: Alert = { id: 'a1', month: '2026-11', scope: 'Food', scopeName: 'Food', threshold: 80, spent: 85, limit: 100, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'pending' };
    api.nextAlerts = [alert];
    await type($('#add-amount'), '85');
    await submit($('form.expense-form'));
    await settle();
    expect($('[data-testid="alert-banner"]')!.textContent).to.contain('You have used 85% of your Food budget for November 2026 (the 80% alert)');
    expect($('[data-testid="alert-history"]')!.textContent).to.contain('Email pending');
    const bar = $('.bar[data-scope="Food"]')!;
    expect(bar.className).to.contain('bar--warn');
    expect(bar.textContent).to.contain('Near limit');
    await click(byText(dom.container, 'button', 'Dismiss'));
    expect($('[data-testid="alert-banner"]')).to.equal(null);
  });

  it('pages with "load more" and filters by category', async () => {
    for (let d = 1; d <= 7; d++) api.seed({ amount: d, category: d % 2 ? 'Food' : 'Travel', date: `2026-11-0${d}` });
    await mount({ pageSize: 3 });
    expect(dom.container.querySelectorAll('.expense')).to.have.length(3);
    // The daily chart comes from the summary's days: the month's expenses are never read whole.
    expect(api.callsOf('listAllExpenses')).to.deep.equal([]);
    expect(api.callsOf('listExpenses').map((c) => c.args[0])).to.deep.equal([{ month: '2026-11', category: '', limit: 3 }]);
    await click(byText(dom.container, 'button', 'Load more'));
    await settle();
    expect(dom.container.querySelectorAll('.expense')).to.have.length(6);
    await click(byText(dom.container, 'button', 'Load more'));
    await settle();
    expect(dom.container.querySelectorAll('.expense')).to.have.length(7);
    expect(byText(dom.container, 'button', 'Load more')).to.equal(null);
    const dates = Array.from(dom.container.querySelectorAll('.expense')).map((li) => li.querySelector('.expense-date')!.textContent);
    expect(dates[0]).to.match(/Nov 7/);
    await type($('#filter-category'), 'Travel');
    await settle();
    expect(dom.container.querySelectorAll('.expense')).to.have.length(3);
    expect(api.callsOf('listExpenses').at(-1)!.args[0]).to.include({ category: 'Travel' });
    expect(api.callsOf('listAllExpenses')).to.deep.equal([]);
  });

  it('edits an expense in place', async () => {
    const seeded = api.seed({ amount: 10, category: 'Food', date: '2026-11-02' });
    await mount();
    await click(dom.container.querySelector('button[aria-label^="Edit"]'));
    await type($(`#edit-${seeded.id}-amount`), '11.25');
    await submit($('form.edit-form'));
    await settle();
    expect(api.callsOf('updateExpense')[0]!.args).to.deep.equal([seeded.id, { amount: 11.25, category: 'Food', date: '2026-11-02' }]);
    expect($('form.edit-form')).to.equal(null);
    expect($('.expense-list')!.textContent).to.contain('$11.25');
    expect(document.activeElement, 'focus back on the edited row').to.equal($(`li[data-id="${seeded.id}"] button.edit`));
  });

  it('puts focus back on the row when an edit is left with Escape, and Escape there leaves the alert banner alone', async () => {
    const seeded = api.seed({ amount: 10, category: 'Food', date: '2026-11-02' });
    api.budget = { ...api.budget, categoryLimits: { Food: 10 } };
    await mount();
    api.nextAlerts = [{ id: 'a1', month: '2026-11', scope: 'Food', scopeName: 'Food', threshold: 100, spent: 14, limit: 10, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'pending' }];
    await type($('#add-amount'), '4');
    await submit($('form.expense-form'));
    await settle();
    expect($('[data-testid="alert-banner"]')!.textContent).to.contain('You have used 140% of your Food budget for November 2026 (the 100% alert)');
    await click($(`li[data-id="${seeded.id}"] button.edit`));
    await settle();
    const escape = () => new (globalThis as unknown as { KeyboardEvent: typeof KeyboardEvent }).KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    await act(() => { $(`#edit-${seeded.id}-amount`)!.dispatchEvent(escape()); });
    await settle();
    expect($('form.edit-form')).to.equal(null);
    expect(document.activeElement).to.equal($(`li[data-id="${seeded.id}"] button.edit`));
    expect($('[data-testid="alert-banner"]'), 'the Escape was the edit row\'s').to.not.equal(null);
    // Escape elsewhere dismisses the banner.
    await act(() => { document.body.dispatchEvent(escape()); });
    await settle();
    expect($('[data-testid="alert-banner"]')).to.equal(null);
  });

  it('clears the banner when moving to another month', async () => {
    api.budget = { ...api.budget, monthlyLimit: 10 };
    await mount();
    api.nextAlerts = [{ id: 'a1', month: '2026-11', scope: 'total', scopeName: 'Total', threshold: 80, spent: 9, limit: 10, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'pending' }];
    await type($('#add-amount'), '9');
    await submit($('form.expense-form'));
    await settle();
    expect($('[data-testid="alert-banner"]')).to.not.equal(null);
    await click($('button[aria-label="Previous month"]'));
    await settle();
    expect($('[data-testid="alert-banner"]')).to.equal(null);
  });

  it('deletes an expense and can undo it', async () => {
    api.seed({ amount: 10, category: 'Food', date: '2026-11-02', description: 'pizza' });
    await mount();
    await click(dom.container.querySelector('button[aria-label^="Delete"]'));
    await settle();
    expect(api.expenses).to.have.length(0);
    expect(text()).to.contain('No expenses for November 2026 yet.');
    expect(document.activeElement, 'Undo is one key press away').to.equal(byText(dom.container, 'button', 'Undo'));
    await new Promise((resolve) => setTimeout(resolve, 10_500 / 100)); // (timers are real here: the toast has no timer at all)
    await click(byText(dom.container, 'button', 'Undo'));
    await settle();
    expect(api.expenses.map((e) => e.description)).to.deep.equal(['pizza']);
    expect($('.expense-list')!.textContent).to.contain('pizza');
    expect(document.activeElement, 'focus on the restored row').to.equal($(`li[data-id="${api.expenses[0]!.id}"] button.edit`));
  });

  it('moves focus to the next row when the undo toast is closed, and keeps the toast with its undo until then', async () => {
    const clock = sinon.useFakeTimers({ shouldAdvanceTime: true, toFake: ['setTimeout', 'clearTimeout'] });
    try {
      api.seed({ amount: 10, category: 'Food', date: '2026-11-03', description: 'first' });
      const second = api.seed({ amount: 11, category: 'Food', date: '2026-11-02', description: 'second' });
      await mount();
      await click($('li[data-id] button[aria-label^="Delete"]'));
      await settle();
      await act(() => { clock.tick(60_000); });
      await settle();
      expect(byText(dom.container, 'button', 'Undo'), 'still there after a minute').to.not.equal(null);
      await click($('button[aria-label="Close message"]'));
      await settle();
      expect(document.activeElement).to.equal($(`li[data-id="${second.id}"] button.edit`));
    } finally {
      clock.restore();
    }
  });

  it('shows the last 12 months on request from one trends read: totals against the budget, per category, with the change', async () => {
    api.budget = { ...api.budget, monthlyLimit: 100, categoryLimits: { Food: 40 } };
    api.seed({ amount: 30, category: 'Food', date: '2026-10-05' });
    api.seed({ amount: 20, category: 'Transport', date: '2026-10-06' });
    api.seed({ amount: 45, category: 'Food', date: '2026-11-02' });
    api.seed({ amount: 70.5, category: 'Transport', date: '2026-11-03' });
    await mount();
    expect(api.callsOf('getTrends'), 'not read until asked for').to.deep.equal([]);
    await click(byText(dom.container, 'button', 'A year at a glance'));
    // Its code is a chunk of its own, loaded now.
    for (let i = 0; i < 100 && !$('[data-testid="trends"] tbody'); i++) await settle(1);
    expect(api.callsOf('getTrends').map((c) => c.args[0])).to.deep.equal(['2026-11']);
    const rows = () => Array.from(dom.container.querySelectorAll('[data-testid="trends"] tbody tr')).map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ').trim());
    expect(rows()).to.have.length(12);
    expect(rows()[0]).to.match(/^December 2025/);
    expect(rows()[10]).to.equal('October 2026$50.00$100.00+$50.00');
    expect(rows()[11]).to.equal('November 2026$115.50$100.00 over+$65.50 (+131%)');
    expect($('[data-testid="trends"] .trends-summary')!.textContent).to.contain('$165.50 in 12 months, $82.75 a month on average over the 2 with spending');
    expect(document.activeElement?.id).to.equal('trends-heading');
    await type($('#trends-scope'), 'Food');
    await settle();
    expect(rows()[10], 'from nothing: no percentage').to.equal('October 2026$30.00$40.00+$30.00');
    expect(rows()[11]).to.equal('November 2026$45.00$40.00 over+$15.00 (+50%)');
    expect(api.callsOf('getTrends'), 'the category view needs no second read').to.have.length(1);
  });

  it('draws the days from the summary, and reads the expenses only for a month written before days were kept', async () => {
    api.seed({ amount: 12.5, category: 'Food', date: '2026-11-03' });
    api.seed({ amount: 30, category: 'Food', date: '2026-11-03' });
    api.seed({ amount: 7, category: 'Travel', date: '2026-11-14' });
    await mount();
    const drawn = () => Array.from(dom.container.querySelectorAll('[data-testid="daily-chart"] [data-day]')).map((c) => c.getAttribute('data-day'));
    expect(drawn()).to.deep.equal(['3', '14']);
    expect($('[data-testid="daily-chart"] .daily-readout')!.textContent).to.contain('Tue, Nov 3: $42.50');
    expect(api.callsOf('listAllExpenses')).to.deep.equal([]);
    await act(() => render(null, dom.container));
    api.daysUnknown = true;
    await mount();
    expect(drawn()).to.deep.equal(['3', '14']);
    expect(api.callsOf('listAllExpenses').map((c) => c.args[0])).to.deep.equal(['2026-11']);
  });

  it('offers to set a budget first while none is set, and takes the user to its field', async () => {
    await mount();
    expect($('[data-testid="budget-hint"]')!.textContent).to.contain('No budget yet: set a monthly limit');
    expect($('[data-testid="budget-hint"]')!.textContent).to.contain('80% and 100%');
    await click(byText(dom.container, 'button', 'Set a budget'));
    await settle();
    expect(document.activeElement?.id).to.equal('budget-monthly');
  });

  it('shows the alerts saving a budget raised as a banner', async () => {
    api.seed({ amount: 90, category: 'Food', date: '2026-11-02' });
    await mount();
    const raised: Alert = { id: 'b1', month: '2026-11', scope: 'total', scopeName: 'Total', threshold: 80, spent: 90, limit: 100, createdAt: '2026-11-15T10:00:00.000Z', delivery: 'pending' };
    const putBudget = api.putBudget.bind(api);
    api.putBudget = async (budget) => {
      const saved = await putBudget(budget);
      api.alerts.push(raised);
      return saved;
    };
    await type($('#budget-monthly'), '100');
    await submit($('form.budget-form'));
    await settle();
    expect($('[data-testid="alert-banner"]')!.textContent).to.contain('You have used 90% of your monthly budget for November 2026 (the 80% alert)');
  });

  it('moves between months', async () => {
    api.seed({ amount: 3, category: 'Food', date: '2026-10-31' });
    await mount();
    await click($('button[aria-label="Previous month"]'));
    await settle();
    expect($('#month-label')!.textContent).to.equal('October 2026');
    expect(dom.window.location.hash).to.equal('#2026-10');
    expect($('[data-testid="total-spent"]')!.textContent).to.equal('$3.00');
    await click(byText(dom.container, 'button', 'This month'));
    await settle();
    expect($('#month-label')!.textContent).to.equal('November 2026');
  });

  it('says when the API is unreachable and recovers on retry without losing the form', async () => {
    api.failWith = new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
    await mount();
    expect($('.error-panel')!.textContent).to.contain('Cannot reach the server');
    await type($('#add-amount'), '42');
    api.failWith = null;
    await click(byText(dom.container, 'button', 'Retry'));
    await settle();
    expect($('.error-panel')).to.equal(null);
    expect(($('#add-amount') as HTMLInputElement).value).to.equal('42');
    expect($('[data-testid="total-spent"]')!.textContent).to.equal('$0.00');
  });

  it('quick add: shows what a line reads as it is typed, saves exactly that on Enter, and refuses a line it cannot read', async () => {
    await mount();
    await type($('#quick-add'), 'coffee 3.50 4');
    expect($('[data-testid="quick-add-preview"]')!.textContent).to.equal('Two amounts (3.50 and 4): keep one');
    await submit($('form.quick-add'));
    await settle();
    expect(api.calls.filter((c) => c.method === 'addExpense')).to.deep.equal([]);
    await type($('#quick-add'), 'coffee 3,50 food');
    expect($('[data-testid="quick-add-preview"]')!.textContent).to.match(/^\$3\.50 · Food · .+ · coffee$/);
    await submit($('form.quick-add'));
    await settle();
    const [add] = api.calls.filter((c) => c.method === 'addExpense');
    expect(add!.args[0]).to.deep.equal({ amount: 3.5, date: TODAY, category: 'Food', description: 'coffee' });
    expect(add!.args[1]).to.be.a('string').with.length.greaterThan(10);
    expect(($('#quick-add') as HTMLInputElement).value).to.equal('');
    expect(text()).to.contain('Saved $3.50 for Food.');
    // The next line guesses the category from the expense just saved.
    await type($('#quick-add'), 'coffee 2.80');
    expect($('[data-testid="quick-add-preview"]')!.textContent).to.contain('Food (guessed from similar expenses)');
  });

  it('saves the budget and shows the server message for a bad field', async () => {
    await mount();
    await type($('#budget-monthly'), '500');
    await type($('#budget-limit-food'), '100');
    await type($('#budget-currency'), 'eur');
    await type($('#budget-email'), 'not-an-email');
    await submit($('form.budget-form'));
    await settle();
    expect($('#budget-email-error')!.textContent).to.contain('valid email');
    await type($('#budget-email'), 'me@example.com');
    await submit($('form.budget-form'));
    await settle();
    expect(api.budget).to.deep.equal({ currency: 'EUR', monthlyLimit: 500, categoryLimits: { Food: 100 }, thresholds: [80, 100], alertEmail: 'me@example.com', timeZone: 'UTC', rollover: { monthlyLimit: false, categoryLimits: {} }, forecastThresholds: [], monthlyReport: false });
    expect($('[data-testid="remaining"]')!.textContent).to.equal('€500.00');
    expect(text()).to.contain('Budget saved.');
  });

  it('saves which limits carry over, the forecast thresholds and the monthly report with the budget', async () => {
    await mount();
    await type($('#budget-monthly'), '500');
    await type($('#budget-limit-food'), '100');
    await type($('#budget-email'), 'me@example.com');
    await type($('#budget-forecast'), '100');
    for (const id of ['#budget-rollover-food', '#budget-rollover-travel', '#budget-report']) {
      await act(() => { ($(id) as HTMLInputElement).click(); });
    }
    await submit($('form.budget-form'));
    await settle();
    // Travel has no limit: its mark is not sent (the server would refuse carrying a limit that is not set).
    expect(api.budget).to.deep.include({ rollover: { monthlyLimit: false, categoryLimits: { Food: true } }, forecastThresholds: [100], monthlyReport: true });
    expect(($('#budget-rollover-food') as HTMLInputElement).checked).to.equal(true);
  });

  it('gives a budget nobody has set the device\'s time zone on first use, shows it, and saves a chosen one', async () => {
    await mount({ deviceTimeZone: 'Asia/Tokyo' });
    expect(api.calls.filter((c) => c.method === 'putBudget').map((c) => (c.args[0] as { timeZone: string }).timeZone)).to.deep.equal(['Asia/Tokyo']);
    const zone = $('#budget-time-zone') as HTMLSelectElement;
    expect(zone.value).to.equal('Asia/Tokyo');
    // Until it is used, the picker holds only the chosen zone; focusing it (or touching it) offers every zone.
    expect(zone.options.length).to.equal(1);
    await act(() => { zone.dispatchEvent(new (globalThis as unknown as { FocusEvent: typeof FocusEvent }).FocusEvent('focus')); });
    expect(zone.options.length).to.be.greaterThan(300);
    zone.value = 'Europe/Berlin';
    await act(() => { zone.dispatchEvent(new Event('change', { bubbles: true })); });
    await submit($('form.budget-form'));
    await settle();
    expect(api.budget.timeZone).to.equal('Europe/Berlin');
  });

  it('leaves the time zone of a budget already set alone', async () => {
    api.budget = { ...api.budget, monthlyLimit: 100, timeZone: 'America/Los_Angeles' };
    await mount({ deviceTimeZone: 'Asia/Tokyo' });
    expect(api.calls.map((c) => c.method)).to.not.include('putBudget');
    expect(($('#budget-time-zone') as HTMLSelectElement).value).to.equal('America/Los_Angeles');
  });

  it('sends the confirmation email again on request, once an address is saved', async () => {
    await mount();
    expect(text()).to.not.contain('Send the confirmation email again');
    await type($('#budget-email'), 'me@example.com');
    await submit($('form.budget-form'));
    await settle();
    await click(byText(dom.container, 'button', 'Send the confirmation email again'));
    await settle();
    expect(api.calls.map((c) => c.method)).to.include('resendAlertEmailConfirmation');
    expect(text()).to.contain('Confirmation email sent again to me@example.com.');
  });

  it('says when an alert was not emailed because no address was set', async () => {
    await act(() => render(h(AlertHistory, { currency: 'USD', alerts: [{ id: '2026-11_total_80', month: '2026-11', scope: 'total', scopeName: 'Total', threshold: 80, spent: 80, limit: 100, createdAt: '2026-11-10T10:00:00.000Z', delivery: 'no_email' }] }), dom.container));
    expect($('.delivery--no_email')!.textContent).to.equal('No email: no alert address set');
  });

  it('shows 99.9% in amber, not 100% over budget, when 99.995% is used', async () => {
    await act(() => render(h(BudgetBar, { name: 'Monthly budget', use: { limit: 1000, baseLimit: 1000, carry: 0, spent: 999.95, remaining: 0.05, percentUsed: 99.9, forecast: null }, thresholds: [80, 100], currency: 'USD' }), dom.container));
    const bar = $('.bar')!;
    expect(bar.className).to.contain('bar--warn');
    expect(bar.textContent).to.contain('99.9%').and.contain('Near limit').and.not.contain('Over budget');
  });

  it('isolates each description, so its bidi controls cannot reorder the row around it', async () => {
    api.seed({ amount: 3, category: 'Food', date: TODAY, description: 'invoice \u202egnp.exe' });
    await mount();
    const note = $('.expense-note')!;
    expect(note.textContent).to.equal('invoice \u202egnp.exe');
    expect(note.getAttribute('dir')).to.equal('auto');
    const css = readFileSync(new URL('../../client/src/styles.css', import.meta.url), 'utf8');
    expect(/\.expense-note\s*\{[^}]*unicode-bidi:\s*isolate/.test(css), '.expense-note { unicode-bidi: isolate }').to.equal(true);
  });

  it('shows what carried over and the month-end forecast on a budget bar, in words and as a marker', async () => {
    await act(() => render(h(BudgetBar, { name: 'Food', use: { limit: 350, baseLimit: 300, carry: 50, spent: 200, remaining: 150, percentUsed: 57.1, forecast: 420 }, thresholds: [80, 100], currency: 'USD' }), dom.container));
    expect($('[data-testid="carry"]')!.textContent).to.equal('$300.00 + $50.00 left over from earlier months');
    expect($('[data-testid="forecast"]')!.textContent).to.equal('Forecast for the month: $420.00 ($70.00 over)');
    expect(($('[data-testid="forecast-marker"]') as HTMLElement).style.left).to.equal('calc(100% - 2px)');
    await act(() => render(h(BudgetBar, { name: 'Food', use: { limit: -20, baseLimit: 300, carry: -320, spent: 5, remaining: -25, percentUsed: null, forecast: null }, thresholds: [80, 100], currency: 'USD' }), dom.container));
    expect($('.bar')!.className).to.contain('bar--over');
    expect($('[data-testid="carry"]')!.textContent).to.equal('$300.00 − $320.00 overspent from earlier months');
    expect($('.bar-track')!.getAttribute('aria-valuetext')).to.equal('Food: nothing left after carried overspending, Over budget');
    expect($('[data-testid="forecast"]')).to.equal(null);
  });

  it('shows over-budget bars in red with words, not colour alone', async () => {
    await act(() => render(h(BudgetBar, { name: 'Monthly budget', use: { limit: 100, baseLimit: 100, carry: 0, spent: 120, remaining: -20, percentUsed: 120, forecast: null }, thresholds: [80, 100], currency: 'USD' }), dom.container));
    const bar = $('.bar')!;
    expect(bar.className).to.contain('bar--over');
    expect(bar.textContent).to.contain('Over budget');
    expect($('[role="progressbar"]')!.getAttribute('aria-valuenow')).to.equal('100');
    expect(($('.bar-fill') as HTMLElement).style.width).to.equal('100%');
  });
});
