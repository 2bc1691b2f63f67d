import { expect } from 'chai';
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { Overview } from '../../client/src/components/Overview.js';
import { describeSchedule, RecurringCard } from '../../client/src/components/RecurringCard.js';
import { DEFAULT_CATEGORIES } from '../../client/src/categories.js';
import { formatDay } from '../../client/src/format.js';
import { byText, click, settle, submit, type, useDom } from './dom.js';
import { FakeApi } from './fake-api.js';

describe('client recurring expenses (happy-dom)', () => {
  const dom = useDom();
  let api: FakeApi;
  let changed: number;

  beforeEach(() => {
    api = new FakeApi();
    changed = 0;
  });

  afterEach(async () => {
    await act(() => render(null, dom.container));
  });

  const $ = (selector: string) => dom.container.querySelector(selector) as HTMLElement | null;
  const text = () => dom.container.textContent ?? '';
  const mount = async () => {
    await act(() => render(h(RecurringCard, { api, categories: DEFAULT_CATEGORIES, currency: 'USD', today: '2026-12-02', onChanged: () => { changed++; } }), dom.container));
    await settle();
  };

  it('describes schedules in words', () => {
    expect(describeSchedule({ frequency: 'monthly', interval: 1, startDate: '2026-01-31', dayOfMonth: -1, weekend: 'none' })).to.equal('every month on the last day');
    expect(describeSchedule({ frequency: 'weekly', interval: 2, startDate: '2026-01-31', weekend: 'none', end: { after: 3 } })).to.equal('every 2 weeks, 3 times');
    expect(describeSchedule({ frequency: 'yearly', interval: 1, startDate: '2026-01-31', weekend: 'after', end: { until: '2030-01-01' } })).to.equal('every year, until 2030-01-01');
  });

  it('adds a monthly bill, lists it, skips its next occurrence, edits it and deletes it', async () => {
    await mount();
    expect(text()).to.contain('No recurring expenses yet');
    await type($('#recurring-amount'), '1200');
    await type($('#recurring-description'), 'Rent');
    await act(() => { ($('#recurring-category') as HTMLSelectElement).value = 'Housing'; $('#recurring-category')!.dispatchEvent(new Event('change', { bubbles: true })); });
    await act(() => { ($('#recurring-day') as HTMLSelectElement).value = '1'; $('#recurring-day')!.dispatchEvent(new Event('change', { bubbles: true })); });
    await type($('#recurring-start'), '2027-01-01');
    await submit($('form.recurring-form'));
    await settle();
    expect(api.callsOf('createRecurring')[0]!.args[0]).to.deep.equal({
      amount: 1200, category: 'Housing', description: 'Rent', schedule: { frequency: 'monthly', interval: 1, startDate: '2027-01-01', weekend: 'none', dayOfMonth: 1 },
    });
    expect($('[role="status"]')!.textContent).to.match(/^Added Rent: next /);
    expect($('.recurring-item')!.textContent).to.contain('every month on day 1');
    expect(changed).to.equal(1);

    await click(byText(dom.container, 'button', 'Skip next'));
    await settle();
    expect(api.callsOf('skipRecurring')).to.have.length(1);
    expect($('[role="status"]')!.textContent).to.match(/^Skipped /);

    await click(byText(dom.container, 'button', 'Edit'));
    expect(($('#recurring-amount') as HTMLInputElement).value).to.equal('1200');
    await type($('#recurring-amount'), '1250');
    await submit($('form.recurring-form'));
    await settle();
    expect((api.callsOf('updateRecurring')[0]!.args[1] as { amount: number }).amount).to.equal(1250);
    expect($('.recurring-item')!.textContent).to.contain('$1,250.00');

    await click(byText(dom.container, 'button', 'Delete'));
    await settle();
    expect(text()).to.contain('No recurring expenses yet');
    expect($('[role="status"]')!.textContent).to.equal('Deleted; the expenses it made stay.');
  });

  it('sends a weekly bill on the weekday chosen, until a date', async () => {
    await mount();
    await type($('#recurring-amount'), '15');
    await act(() => { ($('#recurring-frequency') as HTMLSelectElement).value = 'weekly'; $('#recurring-frequency')!.dispatchEvent(new Event('change', { bubbles: true })); });
    await act(() => { ($('#recurring-weekday') as HTMLSelectElement).value = 'FR'; $('#recurring-weekday')!.dispatchEvent(new Event('change', { bubbles: true })); });
    await type($('#recurring-start'), '2026-12-01');
    await type($('#recurring-until'), '2027-06-30');
    await submit($('form.recurring-form'));
    await settle();
    expect((api.callsOf('createRecurring')[0]!.args[0] as { schedule: unknown }).schedule).to.deep.equal({
      frequency: 'weekly', interval: 1, startDate: '2026-12-01', weekend: 'none', weekday: 'FR', end: { until: '2027-06-30' },
    });
    expect($('.recurring-item')!.textContent).to.contain('every week, until 2027-06-30');
  });

  it('shows the server\'s message beside the field it names', async () => {
    await mount();
    await submit($('form.recurring-form'));
    await settle();
    expect($('#recurring-amount-error')!.textContent).to.equal('must be a number greater than 0');
    expect($('#recurring-amount')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('lists the recurring expenses still to come in the month overview', async () => {
    const summary = {
      month: '2026-12', currency: 'USD', total: 0, count: 0, byCategory: {}, byDay: {}, budget: null, categories: {},
      upcoming: { total: 1230, items: [{ recurringId: 'a', date: '2026-12-20', amount: 30, category: 'Utilities' }, { recurringId: 'b', date: '2026-12-31', amount: 1200, category: 'Housing', description: 'Rent' }] },
    };
    await act(() => render(h(Overview, { summary, categories: DEFAULT_CATEGORIES, thresholds: [80, 100] }), dom.container));
    expect($('.upcoming h3')!.textContent).to.equal('Still to come: $1,230.00');
    const rows = Array.from(dom.container.querySelectorAll('.upcoming li')).map((li) => Array.from(li.querySelectorAll('span')).map((s) => s.textContent));
    expect(rows).to.deep.equal([[formatDay('2026-12-20'), 'Utilities', '$30.00'], [formatDay('2026-12-31'), 'Rent', '$1,200.00']]);
  });
});
