/**
 * The page's offline layer: one contract suite for the device store (memory and IndexedDB, the latter
 * through fake-indexeddb, an in-process implementation of the IndexedDB API), then the queue and its
 * sending against a fake server that keeps Idempotency-Keys as the real one does.
 */
import 'fake-indexeddb/auto';
import { expect } from 'chai';
import { ApiError, type ApiClient } from '../../client/src/api.js';
import { createOfflineApi, PENDING_ID_PREFIX, withQueued, type OfflineApi } from '../../client/src/offline/offline-api.js';
import { indexedDbOfflineStore, memoryOfflineStore, type OfflineStore, type QueuedChange } from '../../client/src/offline/store.js';
import type { ExpenseInput } from '../../client/src/types.js';
import { FakeApi } from './fake-api.js';

const coffee: ExpenseInput = { amount: 3.5, category: 'Food', date: '2026-12-02', description: 'coffee' };
const lunch: ExpenseInput = { amount: 12, category: 'Food', date: '2026-12-02', description: 'lunch' };
const queued = (key: string, owner: string, queuedAt: number, input = coffee): QueuedChange => ({ key, owner, queuedAt, change: { kind: 'add', input } });

const stores: [string, () => Promise<OfflineStore>][] = [
  ['memory', async () => memoryOfflineStore()],
  ['IndexedDB (idb)', () => indexedDbOfflineStore(`test-${Math.random()}`)],
];

for (const [name, open] of stores) {
  describe(`offline store contract: ${name}`, () => {
    it('keeps each user\'s last answers apart and forgets one user\'s on sign-out', async () => {
      const store = await open();
      expect(await store.readSnapshot('u1', 'summary:2026-12')).to.equal(null);
      await store.writeSnapshot('u1', 'summary:2026-12', { value: { total: 3.5 }, savedAt: 100 });
      await store.writeSnapshot('u2', 'summary:2026-12', { value: { total: 9 }, savedAt: 200 });
      await store.writeSnapshot('u1', 'budget', { value: { currency: 'EUR' }, savedAt: 150 });
      expect(await store.readSnapshot('u1', 'summary:2026-12')).to.deep.equal({ value: { total: 3.5 }, savedAt: 100 });
      await store.writeSnapshot('u1', 'summary:2026-12', { value: { total: 4 }, savedAt: 300 });
      expect(await store.readSnapshot('u1', 'summary:2026-12')).to.deep.equal({ value: { total: 4 }, savedAt: 300 });
      await store.clearSnapshots('u1');
      expect(await store.readSnapshot('u1', 'summary:2026-12')).to.equal(null);
      expect(await store.readSnapshot('u1', 'budget')).to.equal(null);
      expect(await store.readSnapshot('u2', 'summary:2026-12')).to.deep.equal({ value: { total: 9 }, savedAt: 200 });
    });

    it('lists a user\'s queued changes oldest first; a put replaces, a delete removes', async () => {
      const store = await open();
      await store.putQueued(queued('b', 'u1', 20));
      await store.putQueued(queued('a', 'u1', 10));
      await store.putQueued(queued('c', 'u2', 5));
      expect((await store.listQueued('u1')).map((q) => q.key)).to.deep.equal(['a', 'b']);
      await store.putQueued({ ...queued('a', 'u1', 10, lunch), rejected: { status: 400, reason: 'Invalid fields', fields: { amount: 'bad' } } });
      const [first] = await store.listQueued('u1');
      expect(first).to.deep.equal({ ...queued('a', 'u1', 10, lunch), rejected: { status: 400, reason: 'Invalid fields', fields: { amount: 'bad' } } });
      await store.deleteQueued('a');
      expect((await store.listQueued('u1')).map((q) => q.key)).to.deep.equal(['b']);
      expect((await store.listQueued('u2')).map((q) => q.key)).to.deep.equal(['c']);
    });

    it('returns copies: changing what it returned changes nothing stored', async () => {
      const store = await open();
      await store.putQueued(queued('a', 'u1', 10));
      const [read] = await store.listQueued('u1');
      (read!.change as { input: ExpenseInput }).input.amount = 999;
      expect(((await store.listQueued('u1'))[0]!.change as { input: ExpenseInput }).input.amount).to.equal(3.5);
    });
  });
}

/** The fake server behind a connection the test can cut, before the request or after it (answer lost). */
class Connection {
  state: 'up' | 'down' | 'answers-lost' = 'up';
  constructor(readonly server: FakeApi) {}
  api(): ApiClient {
    const lost = () => new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
    return new Proxy(this.server, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (this.state === 'down') throw lost();
          const result = await value.apply(target, args);
          if (this.state === 'answers-lost') throw lost();
          return result;
        };
      },
    }) as unknown as ApiClient;
  }
}

describe('offline layer: last data, queued changes and sending them', () => {
  let server: FakeApi;
  let connection: Connection;
  let store: OfflineStore;
  let offline: OfflineApi;
  let clock: number;
  let keys: number;

  beforeEach(() => {
    server = new FakeApi();
    connection = new Connection(server);
    store = memoryOfflineStore();
    clock = 1_000;
    keys = 0;
    offline = createOfflineApi(connection.api(), store, 'u1', {
      now: () => clock++, newKey: () => `key-${++keys}`, exclusive: (task) => task(),
    });
  });

  const serverDescriptions = () => server.expenses.map((e) => e.description).sort();

  it('shows the last answer when the server cannot be reached, with when it was saved, and says when it is back', async () => {
    server.seed(coffee);
    const online = await offline.api.getSummary('2026-12');
    expect(offline.status()).to.include({ offline: false, dataSavedAt: null });
    connection.state = 'down';
    expect(await offline.api.getSummary('2026-12')).to.deep.equal(online);
    expect(offline.status().offline).to.equal(true);
    expect(offline.status().dataSavedAt).to.equal(1_000);
    const error = await offline.api.getSummary('2026-11').catch((e: unknown) => e);
    expect(error, 'nothing kept for a month never seen').to.be.instanceOf(ApiError);
    connection.state = 'up';
    await offline.api.getSummary('2026-12');
    expect(offline.status()).to.include({ offline: false, dataSavedAt: null });
  });

  it('answers reads while the device store is still opening; what needs the device waits for it', async () => {
    server.seed(coffee);
    let open!: (store: OfflineStore) => void;
    const opening = new Promise<OfflineStore>((resolve) => { open = resolve; });
    const early = createOfflineApi(connection.api(), opening, 'u1', { now: () => 5, newKey: () => 'k', exclusive: (task) => task() });
    const summary = await early.api.getSummary('2026-12');
    expect(summary.total).to.equal(3.5);
    connection.state = 'down';
    let queued = false;
    const add = early.api.addExpense(lunch, 'k-early').then(() => { queued = true; });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(queued, 'the queue is on the device').to.equal(false);
    open(store);
    await add;
    expect((await store.listQueued('u1')).map((q) => q.key)).to.deep.equal(['k-early']);
    expect(await store.readSnapshot('u1', 'summary:2026-12')).to.deep.include({ savedAt: 5 });
  });

  it('does not stand in for a refusal: a 400 from the server is the answer', async () => {
    server.failWith = new ApiError(400, 'VALIDATION_FAILED', 'month must be YYYY-MM');
    await offline.api.getSummary('2026-12').then(() => expect.fail('resolved'), (e: ApiError) => expect(e.status).to.equal(400));
  });

  it('queues adds made offline, lists them as pending, and sends each once, in order, with its key', async () => {
    connection.state = 'down';
    const first = await offline.api.addExpense(coffee, 'k-coffee');
    await offline.api.addExpense(lunch, 'k-lunch');
    expect(first.expense).to.include({ id: `${PENDING_ID_PREFIX}k-coffee`, pending: 'waiting', amount: 3.5 });
    const listed = await offline.api.listExpenses({ month: '2026-12', limit: 20 }).catch(() => null);
    expect(listed, 'nothing was ever read: no snapshot').to.equal(null);
    expect(offline.status().queued.map((q) => q.key)).to.deep.equal(['k-coffee', 'k-lunch']);
    expect(server.expenses).to.have.length(0);

    connection.state = 'up';
    const result = await offline.sync();
    expect(result).to.deep.equal({ sent: 2, rejected: 0, alerts: [] });
    expect(server.callsOf('addExpense').map((c) => c.args[1])).to.deep.equal(['k-coffee', 'k-lunch']);
    expect(serverDescriptions()).to.deep.equal(['coffee', 'lunch']);
    expect(offline.status().queued).to.deep.equal([]);
    expect(await offline.sync()).to.deep.equal({ sent: 0, rejected: 0, alerts: [] });
    expect(server.expenses).to.have.length(2);
  });

  it('creates an add whose answer was lost only once', async () => {
    connection.state = 'answers-lost';
    await offline.api.addExpense(coffee, 'k-1');
    expect(server.expenses, 'the server did get it').to.have.length(1);
    expect(await offline.sync()).to.include({ sent: 0 });
    connection.state = 'up';
    expect(await offline.sync()).to.include({ sent: 1 });
    expect(server.expenses).to.have.length(1);
    expect(server.callsOf('addExpense').map((c) => c.args[1])).to.deep.equal(['k-1', 'k-1', 'k-1']);
  });

  it('edits a pending add in the queue; after a lost answer it sends the first body under its key, then the edit', async () => {
    connection.state = 'answers-lost';
    const pending = await offline.api.addExpense(coffee, 'k-1');
    connection.state = 'down';
    await offline.api.updateExpense(pending.expense.id, { ...coffee, amount: 4.2 });
    expect(offline.status().queued).to.have.length(1);
    connection.state = 'up';
    await offline.sync();
    expect(server.expenses.map((e) => [e.description, e.amount])).to.deep.equal([['coffee', 4.2]]);
    expect(server.callsOf('addExpense').every((c) => (c.args[0] as ExpenseInput).amount === 3.5), 'the key keeps its first body').to.equal(true);
  });

  it('fixes a refused edit of a pending add that did reach the server as an edit, so the add is never made twice', async () => {
    connection.state = 'answers-lost';
    const pending = await offline.api.addExpense(coffee, 'k-1');
    connection.state = 'down';
    await offline.api.updateExpense(pending.expense.id, { ...coffee, category: 'Gone' });
    connection.state = 'up';
    expect(await offline.sync()).to.include({ sent: 0, rejected: 1 });
    const [refused] = offline.status().queued;
    expect(refused!.change.kind, 'the add is done; its edit is what was refused').to.equal('update');
    expect(refused!.rejected!.fields.category).to.match(/not one of your categories/);
    await offline.fix(refused!.key, { ...coffee, category: 'Transport' });
    await offline.sync();
    expect(server.expenses.map((e) => [e.description, e.category])).to.deep.equal([['coffee', 'Transport']]);
  });

  it('drops a pending add deleted before it was ever tried; deletes one that may have reached the server', async () => {
    // Never tried: queued while the form's own attempt... found no network at all. Both count as tried
    // by the page, so build the untried case from the store directly.
    await store.putQueued({ key: 'never', owner: 'u1', queuedAt: 1, change: { kind: 'add', input: lunch } });
    connection.state = 'answers-lost';
    const maybeSent = await offline.api.addExpense(coffee, 'k-1');
    connection.state = 'down';
    await offline.api.deleteExpense(`${PENDING_ID_PREFIX}never`);
    await offline.api.deleteExpense(maybeSent.expense.id);
    expect(offline.status().queued.map((q) => q.key)).to.deep.equal(['k-1']);
    connection.state = 'up';
    await offline.sync();
    expect(server.expenses).to.deep.equal([]);
    expect(server.callsOf('addExpense').filter((c) => (c.args[0] as ExpenseInput).description === 'lunch')).to.deep.equal([]);
  });

  it('queues edits and deletes of saved expenses; a later change of the same expense replaces the queued one', async () => {
    const saved = server.seed(coffee);
    const other = server.seed(lunch);
    await offline.api.listExpenses({ month: '2026-12', limit: 20 });
    connection.state = 'down';
    await offline.api.updateExpense(saved.id, { ...coffee, amount: 5 });
    await offline.api.updateExpense(saved.id, { ...coffee, amount: 6 });
    await offline.api.deleteExpense(other.id);
    expect(offline.status().queued.map((q) => q.change.kind)).to.deep.equal(['update', 'delete']);
    const shown = await offline.api.listExpenses({ month: '2026-12', limit: 20 });
    expect(shown.items.map((e) => [e.id, e.amount, e.pending])).to.deep.equal([[saved.id, 6, 'waiting']]);
    await offline.api.deleteExpense(saved.id);
    expect(offline.status().queued.map((q) => q.change.kind)).to.deep.equal(['delete', 'delete']);
    connection.state = 'up';
    expect(await offline.sync()).to.include({ sent: 2 });
    expect(server.expenses).to.deep.equal([]);
  });

  it('counts a delete the server no longer knows as done', async () => {
    const saved = server.seed(coffee);
    connection.state = 'down';
    await offline.api.deleteExpense(saved.id);
    server.expenses = [];
    connection.state = 'up';
    expect(await offline.sync()).to.include({ sent: 1, rejected: 0 });
    expect(offline.status().queued).to.deep.equal([]);
  });

  it('keeps a refused change with the reason and goes on with the rest; a fix sends it under a new key', async () => {
    connection.state = 'down';
    await offline.api.addExpense({ ...coffee, amount: 0 }, 'k-zero');
    await offline.api.addExpense(lunch, 'k-lunch');
    connection.state = 'up';
    expect(await offline.sync()).to.include({ sent: 1, rejected: 1 });
    const [refused] = offline.status().queued;
    expect(refused!.key).to.equal('k-zero');
    expect(refused!.rejected).to.deep.include({ status: 400, reason: 'Invalid fields' });
    expect(refused!.rejected!.fields.amount).to.match(/greater than 0/);
    expect(await offline.sync(), 'a refused change is not sent again as it is').to.include({ sent: 0, rejected: 0 });

    await offline.fix('k-zero', { ...coffee, amount: 2 });
    expect(offline.status().queued.map((q) => [q.key, q.rejected])).to.deep.equal([['key-1', undefined]]);
    await offline.sync();
    expect(server.expenses.map((e) => [e.description, e.amount]).sort()).to.deep.equal([['coffee', 2], ['lunch', 12]]);
  });

  it('turns the fix of an edit refused with 404 (deleted elsewhere) into an add', async () => {
    const saved = server.seed(coffee);
    connection.state = 'down';
    await offline.api.updateExpense(saved.id, { ...coffee, amount: 8 });
    server.expenses = [];
    connection.state = 'up';
    expect(await offline.sync()).to.include({ rejected: 1 });
    expect(offline.status().queued[0]!.rejected!.status).to.equal(404);
    await offline.fix(offline.status().queued[0]!.key, { ...coffee, amount: 8 });
    await offline.sync();
    expect(server.expenses.map((e) => e.amount)).to.deep.equal([8]);
  });

  it('stops at a change the server cannot take now (503), keeping the order for the next try', async () => {
    connection.state = 'down';
    await offline.api.addExpense(coffee, 'k-1');
    await offline.api.addExpense(lunch, 'k-2');
    connection.state = 'up';
    server.failWith = new ApiError(503, 'SERVICE_UNAVAILABLE', 'busy', {}, 2);
    expect(await offline.sync()).to.deep.equal({ sent: 0, rejected: 0, alerts: [] });
    expect(server.callsOf('addExpense'), 'the first tried, the second left waiting behind it').to.have.length(1);
    server.failWith = null;
    await offline.sync();
    expect(server.callsOf('addExpense').slice(-2).map((c) => c.args[1])).to.deep.equal(['k-1', 'k-2']);
  });

  it('shows queued changes over a list from the server: adds in on the first page, edits over, deletes out', () => {
    const base = { createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:00.000Z' };
    const items = [{ ...coffee, id: 'a', ...base }, { ...lunch, id: 'b', ...base }, { ...lunch, id: 'c', ...base, category: 'Transport' }];
    const changes: QueuedChange[] = [
      { key: 'k1', owner: 'u1', queuedAt: Date.UTC(2026, 11, 2), change: { kind: 'add', input: { ...coffee, description: 'new' } } },
      { key: 'k2', owner: 'u1', queuedAt: 2, change: { kind: 'update', id: 'a', input: { ...coffee, amount: 9 } } },
      { key: 'k3', owner: 'u1', queuedAt: 3, change: { kind: 'delete', id: 'b' } },
      { key: 'k4', owner: 'u1', queuedAt: 4, change: { kind: 'add', input: { ...coffee, date: '2026-11-30' } } },
    ];
    const food = withQueued(items, changes, { month: '2026-12', category: 'Food', firstPage: true });
    expect(food.map((e) => [e.id, e.amount])).to.deep.equal([[`${PENDING_ID_PREFIX}k1`, 3.5], ['a', 9]]);
    const later = withQueued(items, changes, { month: '2026-12', firstPage: false });
    expect(later.map((e) => e.id).sort()).to.deep.equal(['a', 'c']);
  });
});
