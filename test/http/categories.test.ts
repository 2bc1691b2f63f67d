import { expect } from 'chai';
import sinon from 'sinon';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { TOKENS, type LedgerRepository } from '../../src/application/ports.js';
import { apiDependencies } from '../../src/composition-root.js';
import { describeAlert } from '../../src/domain/alert.js';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';

describe('categories through the API (in-memory adapters)', () => {
  let app: TestApp;
  let handler: ApiHandler;
  const call = (method: string, path: string, options?: EventOptions) => handler(apiEvent(method, path, options));
  const create = async (name: string, color?: string) => bodyOf(await call('POST', '/api/categories', { body: { name, ...(color ? { color } : {}) } }));
  const add = async (category: string, amount: number, date = '2026-11-10') => call('POST', '/api/expenses', { body: { amount, category, date } });
  const summary = async (month = '2026-11') => bodyOf(await call('GET', '/api/summary', { query: { month } }));
  const categories = async () => bodyOf(await call('GET', '/api/categories')).items as { id: string; name: string; color: string; archived: boolean }[];

  beforeEach(() => {
    app = testApp({ writeRateLimit: BULK_WRITES });
    handler = createApiHandler(apiDependencies(app.container, []));
  });

  it('starts every user with the ten categories, ids equal to names, each with its own colour', async () => {
    const items = await categories();
    expect(items.map((c) => c.id)).to.deep.equal(['Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other']);
    expect(items.every((c) => c.id === c.name && !c.archived && /^#[0-9a-f]{6}$/.test(c.color))).to.equal(true);
    expect(new Set(items.map((c) => c.color)).size).to.equal(10);
  });

  it('adds a category with a generated id and a palette colour, stores the name trimmed and in NFC, and takes expenses in it', async () => {
    const pets = await create('  Cafe\u0301 ');
    expect(pets.id).to.match(/^[A-Za-z0-9_-]{1,40}$/);
    expect(pets).to.deep.include({ name: 'Café', archived: false });
    expect(new Set((await categories()).map((c) => c.color)).size).to.equal(11);
    expect((await add(pets.id, 12.5)).statusCode).to.equal(201);
    expect((await summary()).byCategory).to.deep.equal({ [pets.id]: 12.5 });
  });

  it('refuses a name taken ignoring case, NFC and archived state, and a 101st category, writing nothing', async () => {
    const cafe = await create('Café');
    await call('PATCH', `/api/categories/${cafe.id}`, { body: { archived: true } });
    for (const name of ['CAFÉ', 'cafe\u0301', ' café ', 'food']) {
      const answer = await call('POST', '/api/categories', { body: { name } });
      expect([answer.statusCode, bodyOf(answer).error.code], name).to.deep.equal([409, 'CATEGORY_EXISTS']);
    }
    for (let i = 0; i < 89; i++) await create(`Category ${i}`);
    expect(await categories()).to.have.length(100);
    const full = await call('POST', '/api/categories', { body: { name: 'One more' } });
    expect([full.statusCode, bodyOf(full).error.code]).to.deep.equal([409, 'TOO_MANY_CATEGORIES']);
    expect(await categories()).to.have.length(100);
  });

  it('renames in one small write: the whole history shows the new name, no expense is rewritten', async () => {
    const expense = bodyOf(await add('Food', 20)).expense;
    const ledger = app.container.get<LedgerRepository>(TOKENS.LedgerRepository);
    const commits = sinon.spy(ledger, 'commit');
    const renamed = bodyOf(await call('PATCH', '/api/categories/Food', { body: { name: 'Groceries', color: '#0D47A1' } }));
    expect(renamed).to.deep.equal({ id: 'Food', name: 'Groceries', color: '#0d47a1', archived: false });
    expect(commits.called, 'no ledger write').to.equal(false);
    expect(bodyOf(await call('GET', `/api/expenses/${expense.id}`))).to.deep.equal(expense);
    expect((await categories()).find((c) => c.id === 'Food')!.name).to.equal('Groceries');
  });

  it('archiving closes a category to new expenses and limits (400 naming the field) and keeps its history; unarchiving reopens it', async () => {
    const kept = bodyOf(await add('Travel', 100)).expense;
    expect((await call('PATCH', '/api/categories/Travel', { body: { archived: true } })).statusCode).to.equal(200);
    const refused = await add('Travel', 5);
    expect(refused.statusCode).to.equal(400);
    expect(bodyOf(refused).error.fields).to.have.keys('category');
    const limit = await call('PUT', '/api/budget', { body: { categoryLimits: { Travel: 50 } } });
    expect(bodyOf(limit).error.fields).to.have.keys('categoryLimits.Travel');
    // Its past expense and totals stay, can still be edited in place, and not moved into it again.
    expect((await summary()).byCategory).to.deep.equal({ Travel: 100 });
    expect((await call('PUT', `/api/expenses/${kept.id}`, { body: { amount: 90, category: 'Travel', date: '2026-11-10' } })).statusCode).to.equal(200);
    const food = bodyOf(await add('Food', 1)).expense;
    expect((await call('PUT', `/api/expenses/${food.id}`, { body: { amount: 1, category: 'Travel', date: '2026-11-10' } })).statusCode).to.equal(400);
    expect(bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', category: 'Travel' } })).items).to.have.length(1);
    await call('PATCH', '/api/categories/Travel', { body: { archived: false } });
    expect((await add('Travel', 5)).statusCode).to.equal(201);
    expect((await summary()).byCategory).to.deep.equal({ Travel: 95, Food: 1 });
  });

  it('refuses an unknown category on every write and in the listing filter, naming the field', async () => {
    expect(bodyOf(await add('Pets', 5)).error.fields).to.have.keys('category');
    expect(bodyOf(await call('PUT', '/api/budget', { body: { categoryLimits: { Pets: 5, Food: 10 } } })).error.fields).to.have.keys('categoryLimits.Pets');
    expect(bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11', category: 'Pets' } })).error.fields).to.have.keys('category');
    expect((await call('PATCH', '/api/categories/Pets', { body: { name: 'X' } })).statusCode).to.equal(404);
    expect((await call('PATCH', '/api/categories/has%20space', { body: { name: 'X' } })).statusCode).to.equal(404);
    expect((await summary()).count).to.equal(0);
  });

  it('deletes an unused category; refuses one that expenses or a limit use; merges with exact totals across months', async () => {
    const pets = await create('Pets');
    await add(pets.id, 10, '2026-10-05');
    await add(pets.id, 20.25, '2026-11-05');
    await add(pets.id, 30, '2026-11-06');
    await add('Other', 1, '2026-11-07');
    expect(bodyOf(await call('GET', `/api/categories/${pets.id}/usage`))).to.deep.equal({ expenses: 3, months: 2, limited: false });
    const inUse = await call('DELETE', `/api/categories/${pets.id}`);
    expect([inUse.statusCode, bodyOf(inUse).error.code]).to.deep.equal([409, 'CATEGORY_IN_USE']);
    await call('PUT', '/api/budget', { body: { categoryLimits: { [pets.id]: 100 } } });
    const limited = await call('DELETE', `/api/categories/${pets.id}`, { query: { moveTo: 'Other' } });
    expect([limited.statusCode, bodyOf(limited).error.code]).to.deep.equal([409, 'CATEGORY_IN_USE']);
    await call('PUT', '/api/budget', { body: {} });
    const merged = await call('DELETE', `/api/categories/${pets.id}`, { query: { moveTo: 'Other' } });
    expect([merged.statusCode, bodyOf(merged)]).to.deep.equal([200, { moved: 3 }]);
    expect(bodyOf(await call('GET', '/api/categories/Other/usage'))).to.deep.equal({ expenses: 4, months: 2, limited: false });
    expect(await summary('2026-10')).to.deep.include({ total: 10, byCategory: { Other: 10 } });
    expect(await summary('2026-11')).to.deep.include({ total: 51.25, byCategory: { Other: 51.25 } });
    expect((await categories()).map((c) => c.id)).to.not.include(pets.id);
    expect((await call('DELETE', '/api/categories/Education')).statusCode).to.equal(200);
    expect((await call('DELETE', `/api/categories/${pets.id}`)).statusCode).to.equal(404);
  });

  it('resumes an interrupted merge of 250 expenses: totals exact at every moment, the repeat finishes it', async () => {
    const pets = await create('Pets');
    for (let i = 0; i < 250; i++) await add(pets.id, 1.01, `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`);
    await add('Food', 5);
    const ledger = app.container.get<LedgerRepository>(TOKENS.LedgerRepository);
    // The second batch's commit fails as if the Lambda died there.
    const commit = sinon.stub(ledger, 'commit').callThrough();
    commit.onCall(1).rejects(new Error('Lambda timed out'));
    const interrupted = await call('DELETE', `/api/categories/${pets.id}`, { query: { moveTo: 'Food' } });
    expect(interrupted.statusCode).to.equal(500);
    const between = await summary();
    expect(between.total).to.equal(257.5);
    // The first batch (97 expenses and their totals) moved as one; the rest did not move at all.
    expect(between.byCategory).to.deep.equal({ [pets.id]: 154.53, Food: 102.97 });
    expect((await categories()).map((c) => c.id)).to.include(pets.id);
    commit.restore();
    const finished = await call('DELETE', `/api/categories/${pets.id}`, { query: { moveTo: 'Food' } });
    expect([finished.statusCode, bodyOf(finished)]).to.deep.equal([200, { moved: 153 }]);
    expect(await summary()).to.deep.include({ total: 257.5, count: 251, byCategory: { Food: 257.5 } });
    expect((await categories()).map((c) => c.id)).to.not.include(pets.id);
  });

  it('names alerts by the category name when raised: a later rename leaves past alerts and their email as they were', async () => {
    const pets = await create('Pets');
    await call('PUT', '/api/budget', { body: { categoryLimits: { [pets.id]: 100 }, thresholds: [80], alertEmail: 'me@example.com' } });
    const { alerts } = bodyOf(await add(pets.id, 85));
    expect(alerts.map((a: { scope: string; scopeName: string }) => [a.scope, a.scopeName])).to.deep.equal([[pets.id, 'Pets']]);
    await call('PATCH', `/api/categories/${pets.id}`, { body: { name: 'Animals' } });
    const listed = bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items;
    expect(listed[0].scopeName).to.equal('Pets');
    const [published] = app.notifier.published;
    expect(describeAlert(published!.alert, 'USD').subject).to.equal('Budget alert: 80% of your Pets budget used (November 2026)');
  });
});
