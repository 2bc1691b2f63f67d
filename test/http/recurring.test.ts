import { expect } from 'chai';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { RunDueRecurrences } from '../../src/application/use-cases/run-recurrences.js';
import { apiDependencies } from '../../src/composition-root.js';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';

describe('recurring expenses through the API (in-memory adapters)', () => {
  let app: TestApp;
  let handler: ApiHandler;
  const call = (method: string, path: string, options?: EventOptions) => handler(apiEvent(method, path, options));
  const create = async (body: Record<string, unknown>) => {
    const response = await call('POST', '/api/recurring', { body });
    expect(response.statusCode, response.body).to.equal(201);
    return bodyOf(response);
  };
  const list = async (month: string) => bodyOf(await call('GET', '/api/expenses', { query: { month, limit: '100' } })).items;
  const summary = async (month: string) => bodyOf(await call('GET', '/api/summary', { query: { month } }));
  const runDue = () => app.get(RunDueRecurrences).execute();
  const at = (iso: string) => { app.clock.current = new Date(iso); };

  beforeEach(() => {
    app = testApp({ writeRateLimit: BULK_WRITES });
    handler = createApiHandler(apiDependencies(app.container, []));
    at('2026-12-02T09:00:00Z');
  });

  it('creates a monthly bill (201 with id and nextDate), makes the occurrences already due, and shows the rest as upcoming', async () => {
    const rent = await create({ amount: 1200, category: 'Housing', description: 'Rent', schedule: { frequency: 'monthly', startDate: '2026-10-01' } });
    expect(rent).to.deep.include({ amount: 1200, category: 'Housing', description: 'Rent', nextDate: '2027-01-01' });
    expect(rent.schedule).to.deep.equal({ frequency: 'monthly', interval: 1, startDate: '2026-10-01', weekend: 'none' });
    for (const month of ['2026-10', '2026-11', '2026-12']) {
      const [expense] = await list(month);
      expect(expense).to.deep.include({ amount: 1200, category: 'Housing', date: `${month}-01`, description: 'Rent', recurringId: rent.id });
    }
    at('2026-12-02T09:01:00Z');
    const phone = await create({ amount: 30, category: 'Utilities', schedule: { frequency: 'monthly', startDate: '2026-12-20', dayOfMonth: 20 } });
    expect(phone.nextDate).to.equal('2026-12-20');
    expect((await summary('2026-12')).upcoming).to.deep.equal({ total: 30, items: [{ recurringId: phone.id, date: '2026-12-20', amount: 30, category: 'Utilities' }] });
    expect((await summary('2027-01')).upcoming.total).to.equal(1230);
    expect(bodyOf(await call('GET', '/api/recurring')).items.map((r: { id: string }) => r.id)).to.deep.equal([rent.id, phone.id]);
  });

  it('makes each occurrence once on its date in the user\'s time zone, however often or concurrently the run goes', async () => {
    await call('PUT', '/api/budget', { body: { timeZone: 'Asia/Tokyo' } });
    const coffee = await create({ amount: 3.5, category: 'Food', schedule: { frequency: 'daily', startDate: '2026-12-03' } });
    expect(coffee.nextDate).to.equal('2026-12-03');
    await runDue();
    expect(await list('2026-12')).to.have.length(0);
    // 15:00 UTC on the 2nd is already the 3rd in Tokyo.
    at('2026-12-02T15:30:00Z');
    await Promise.all([runDue(), runDue(), runDue()]);
    await runDue();
    expect((await list('2026-12')).map((e: { date: string }) => e.date)).to.deep.equal(['2026-12-03']);
    at('2026-12-05T15:30:00Z');
    await Promise.all([runDue(), runDue()]);
    expect((await list('2026-12')).map((e: { date: string }) => e.date)).to.deep.equal(['2026-12-06', '2026-12-05', '2026-12-04', '2026-12-03']);
    expect((await summary('2026-12')).total).to.equal(14);
  });

  it('catches up after downtime, at most one year back', async () => {
    at('2025-06-01T09:00:00Z');
    await create({ amount: 10, category: 'Other', schedule: { frequency: 'monthly', startDate: '2025-06-15' } });
    at('2027-03-20T09:00:00Z');
    const { made } = await runDue();
    // 2025-07-15 ... 2027-03-15 are due; those before 2026-03-19 are passed over.
    expect(made).to.equal(12);
    expect(await list('2026-03')).to.deep.equal([]);
    expect((await list('2026-04')).map((e: { date: string }) => e.date)).to.deep.equal(['2026-04-15']);
    expect((await list('2027-03')).map((e: { date: string }) => e.date)).to.deep.equal(['2027-03-15']);
  });

  it('skips the next occurrence; end.after counts it; deleting an occurrence\'s expense does not bring it back', async () => {
    const gym = await create({ amount: 40, category: 'Health', schedule: { frequency: 'monthly', startDate: '2026-12-01', end: { after: 3 } } });
    expect(gym.nextDate).to.equal('2027-01-01');
    const skipped = bodyOf(await call('POST', `/api/recurring/${gym.id}/skip`));
    expect(skipped.nextDate).to.equal('2027-02-01');
    const [december] = await list('2026-12');
    expect((await call('DELETE', `/api/expenses/${december.id}`)).statusCode).to.equal(204);
    at('2027-02-10T09:00:00Z');
    await runDue();
    expect(await list('2026-12')).to.deep.equal([]);
    expect(await list('2027-01')).to.deep.equal([]);
    expect((await list('2027-02')).map((e: { date: string }) => e.date)).to.deep.equal(['2027-02-01']);
    // Three occurrences: December (made, then deleted), January (skipped), February: it has ended.
    expect(bodyOf(await call('GET', `/api/recurring/${gym.id}`)).nextDate).to.equal(null);
    const refused = await call('POST', `/api/recurring/${gym.id}/skip`);
    expect(refused.statusCode).to.equal(400);
  });

  it('an edit applies from today: it never makes again what was made, nor anything already past', async () => {
    const rent = await create({ amount: 1000, category: 'Housing', schedule: { frequency: 'monthly', startDate: '2026-11-01' } });
    const response = await call('PUT', `/api/recurring/${rent.id}`, { body: { amount: 1100, category: 'Housing', schedule: { frequency: 'weekly', startDate: '2026-01-01', weekday: 'MO' } } });
    expect(response.statusCode, response.body).to.equal(200);
    expect(bodyOf(response)).to.deep.include({ amount: 1100, nextDate: '2026-12-07' });
    expect((await list('2026-11')).map((e: { amount: number }) => e.amount)).to.deep.equal([1000]);
    expect((await list('2026-12')).map((e: { amount: number }) => e.amount)).to.deep.equal([1000]);
  });

  it('deleting a recurring expense keeps the expenses it made (204), and then 404', async () => {
    const rent = await create({ amount: 1000, category: 'Housing', schedule: { frequency: 'monthly', startDate: '2026-11-01' } });
    expect((await call('DELETE', `/api/recurring/${rent.id}`)).statusCode).to.equal(204);
    expect(await list('2026-11')).to.have.length(1);
    expect((await summary('2027-01')).upcoming).to.deep.equal({ total: 0, items: [] });
    for (const [method, path] of [['GET', `/api/recurring/${rent.id}`], ['DELETE', `/api/recurring/${rent.id}`], ['POST', `/api/recurring/${rent.id}/skip`], ['GET', '/api/recurring/not-a-uuid']]) {
      expect((await call(method!, path!)).statusCode, `${method} ${path}`).to.equal(404);
    }
  });

  it('names every bad field in one 400, and writes nothing', async () => {
    const response = await call('POST', '/api/recurring', { body: { amount: 12.345, category: 'Nope', date: '2026-12-01', schedule: { frequency: 'fortnightly', startDate: '2026-02-30', interval: 0, colour: 'red' } } });
    expect(response.statusCode).to.equal(400);
    expect(bodyOf(response).error.fields).to.have.keys('date');
    const all = await call('POST', '/api/recurring', { body: { amount: 12.345, category: 'Nope', schedule: { frequency: 'fortnightly', startDate: '2026-02-30', interval: 0, colour: 'red', end: { after: 0 } } } });
    expect(Object.keys(bodyOf(all).error.fields).sort()).to.deep.equal([
      'amount', 'category', 'schedule.colour', 'schedule.end.after', 'schedule.frequency', 'schedule.interval', 'schedule.startDate',
    ]);
    expect(bodyOf(await call('GET', '/api/recurring')).items).to.deep.equal([]);
  });

  it('keeps the category (409 CATEGORY_IN_USE) and the currency (409 CURRENCY_IN_USE) while a recurring expense uses them', async () => {
    const pets = bodyOf(await call('POST', '/api/categories', { body: { name: 'Pets' } }));
    const food = await create({ amount: 20, category: pets.id, schedule: { frequency: 'monthly', startDate: '2027-01-05' } });
    const deleted = await call('DELETE', `/api/categories/${pets.id}`);
    expect([deleted.statusCode, bodyOf(deleted).error.code]).to.deep.equal([409, 'CATEGORY_IN_USE']);
    expect(bodyOf(deleted).error.message).to.contain('1 recurring expense uses "Pets"');
    const currency = await call('PUT', '/api/budget', { body: { currency: 'EUR' } });
    expect([currency.statusCode, bodyOf(currency).error.code]).to.deep.equal([409, 'CURRENCY_IN_USE']);
    // Archived, the category still takes the bill's occurrences: it was chosen when it was active.
    await call('PATCH', `/api/categories/${pets.id}`, { body: { archived: true } });
    at('2027-01-05T12:00:00Z');
    await runDue();
    expect((await list('2027-01')).map((e: { category: string }) => e.category)).to.deep.equal([pets.id]);
    await call('DELETE', `/api/recurring/${food.id}`);
    expect((await call('PUT', '/api/budget', { body: { currency: 'USD' } })).statusCode).to.equal(200);
  });
});
