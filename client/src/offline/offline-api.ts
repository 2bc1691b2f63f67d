/**
 * The API as the page sees it, working with no network: an ApiClient around the real one.
 *
 * - Reads the page needs to open (budget, categories, a month's summary, alerts and expenses) keep
 *   their last answer on the device; when the server cannot be reached the last answer is shown,
 *   and `status()` says since when.
 * - Adds, edits and deletes that cannot reach the server are queued on the device, shown in the
 *   lists as pending, and sent in order by `sync()`. Each add keeps its Idempotency-Key from its first
 *   attempt, so a request that reached the server before the connection dropped creates nothing twice.
 *   A change the server refuses (400, 404, 409, 413, 422) is kept with its reason until the user fixes
 *   or discards it; nothing typed is dropped without the user's say.
 */
import { ApiError, newIdempotencyKey, type ApiClient, type ListQuery } from '../api.js';
import { monthOf } from '../format.js';
import { compareExpenses } from '../state.js';
import type { Alert, Expense, ExpenseInput, ExpensePage, SavedExpense } from '../types.js';
import type { Change, OfflineStore, QueuedChange } from './store.js';

/** A pending add's id in the page: never a server id (those are UUIDs). */
export const PENDING_ID_PREFIX = 'pending:';

/** Refusals that sending again cannot change: the user must fix or discard the change. */
const REJECTIONS = new Set([400, 404, 409, 413, 415, 422]);

export interface OfflineStatus {
  /** True while the server cannot be reached. */
  offline: boolean;
  /** When the oldest answer shown from the device was saved (epoch ms); null when none is shown. */
  dataSavedAt: number | null;
  /** The changes not sent yet, oldest first (rejected ones included). */
  queued: QueuedChange[];
}

export interface SyncResult {
  sent: number;
  rejected: number;
  /** Alerts the sent adds and edits raised. */
  alerts: Alert[];
}

export interface OfflineApi {
  api: ApiClient;
  status(): OfflineStatus;
  subscribe(listener: () => void): () => void;
  /** Sends the queued changes in order; stops at the first the server cannot take now. */
  sync(): Promise<SyncResult>;
  discard(key: string): Promise<void>;
  /** New values for a rejected change; it is queued again (an add under a new Idempotency-Key). */
  fix(key: string, input: ExpenseInput): Promise<void>;
}

export interface OfflineApiDeps {
  now?: () => number;
  newKey?: () => string;
  /** Runs `task` alone across the user's tabs (the Web Locks API when there is one). */
  exclusive?: (task: () => Promise<SyncResult>) => Promise<SyncResult>;
}

const isUnreachable = (error: unknown) => error instanceof ApiError && error.isNetwork;

function browserExclusive(task: () => Promise<SyncResult>): Promise<SyncResult> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? locks.request('budget-offline-sync', task) : task();
}

/** How a queued change shows in a list of expenses, or null when it shows as none. */
export function pendingExpense(q: QueuedChange): Expense | null {
  const at = new Date(q.queuedAt).toISOString();
  const pending = q.rejected ? 'rejected' : 'waiting';
  if (q.change.kind === 'add') {
    return q.change.deleted ? null : { ...q.change.input, id: `${PENDING_ID_PREFIX}${q.key}`, createdAt: at, updatedAt: at, pending };
  }
  if (q.change.kind === 'update') {
    const before = q.change.before;
    return { ...q.change.input, id: q.change.id, createdAt: before?.createdAt ?? at, updatedAt: at, pending, ...(before?.recurringId ? { recurringId: before.recurringId } : {}) };
  }
  return null;
}

/** A list from the server with the queued changes applied: adds in (first page only), edits over, deletes out. */
export function withQueued(items: Expense[], queued: QueuedChange[], filter: { month: string; category?: string; firstPage: boolean }): Expense[] {
  const matches = (e: Expense) => monthOf(e.date) === filter.month && (!filter.category || e.category === filter.category);
  const replaced = new Map<string, Expense | null>();
  const added: Expense[] = [];
  for (const q of queued) {
    if (q.change.kind === 'add') {
      const shown = pendingExpense(q);
      if (shown && filter.firstPage && matches(shown)) added.push(shown);
    } else {
      replaced.set(q.change.id, pendingExpense(q));
    }
  }
  const result: Expense[] = [];
  for (const e of items) {
    const r = replaced.has(e.id) ? replaced.get(e.id)! : e;
    if (r && matches(r)) result.push(r);
  }
  return [...result, ...added].sort(compareExpenses);
}

/**
 * `device` may still be opening (IndexedDB takes a moment at start): reads go to the server at once,
 * and only what needs the device (the queue, a fallback to the last answer) waits for it.
 */
export function createOfflineApi(api: ApiClient, device: OfflineStore | Promise<OfflineStore>, owner: string, deps: OfflineApiDeps = {}): OfflineApi {
  const opened = Promise.resolve(device);
  const store: OfflineStore = {
    readSnapshot: async (o, name) => (await opened).readSnapshot(o, name),
    writeSnapshot: async (o, name, snapshot) => (await opened).writeSnapshot(o, name, snapshot),
    clearSnapshots: async (o) => (await opened).clearSnapshots(o),
    listQueued: async (o) => (await opened).listQueued(o),
    putQueued: async (change) => (await opened).putQueued(change),
    deleteQueued: async (key) => (await opened).deleteQueued(key),
  };
  const now = deps.now ?? (() => Date.now());
  const newKey = deps.newKey ?? newIdempotencyKey;
  const exclusive = deps.exclusive ?? browserExclusive;
  let state: OfflineStatus = { offline: false, dataSavedAt: null, queued: [] };
  const listeners = new Set<() => void>();
  /** Every expense a list showed: what an edit or delete made offline was, for the pending list. */
  const known = new Map<string, Expense>();
  let running: Promise<SyncResult> | null = null;

  const publish = (patch: Partial<OfflineStatus>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  const online = () => {
    if (state.offline || state.dataSavedAt !== null) publish({ offline: false, dataSavedAt: null });
  };
  const refreshQueued = async () => publish({ queued: await store.listQueued(owner) });
  // The lists show queued changes from their first read on.
  const ready = refreshQueued().catch(() => {});
  const queuedFor = async (key: string) => (await store.listQueued(owner)).find((q) => q.key === key) ?? null;

  /** A read whose last answer is kept for when the server cannot be reached. */
  async function cached<T>(name: string, read: () => Promise<T>): Promise<T> {
    try {
      const value = await read();
      online();
      // Kept in the background: the answer is shown without waiting for the device.
      void store.writeSnapshot(owner, name, { value, savedAt: now() }).catch(() => {});
      return value;
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const snapshot = await store.readSnapshot<T>(owner, name).catch(() => null);
      if (!snapshot) {
        publish({ offline: true });
        throw error;
      }
      publish({ offline: true, dataSavedAt: Math.min(state.dataSavedAt ?? Infinity, snapshot.savedAt) });
      return snapshot.value;
    }
  }

  const remember = (items: Expense[]) => {
    for (const e of items) if (!e.pending) known.set(e.id, e);
    return items;
  };

  async function enqueue(key: string, change: Change): Promise<void> {
    await store.putQueued({ key, owner, queuedAt: now(), change });
    publish({ offline: true });
    await refreshQueued();
  }

  /** The queued change for an expense id: a pending add's, or an edit or delete of a saved one. */
  async function queuedForExpense(id: string): Promise<QueuedChange | null> {
    if (id.startsWith(PENDING_ID_PREFIX)) return queuedFor(id.slice(PENDING_ID_PREFIX.length));
    return (await store.listQueued(owner)).find((q) => q.change.kind !== 'add' && q.change.id === id) ?? null;
  }

  /** A queued delete: an expense the server no longer has (404) is as deleted as it gets. */
  async function deleteIfPresent(id: string): Promise<Alert[]> {
    await api.deleteExpense(id).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    });
    return [];
  }

  async function send(q: QueuedChange): Promise<Alert[]> {
    const { change } = q;
    if (change.kind === 'update') return (await api.updateExpense(change.id, change.input)).alerts;
    if (change.kind === 'delete') return deleteIfPresent(change.id);
    if (!change.attempted) {
      if (change.deleted) return []; // never left the device
      // Bound to the key before it goes: whatever happens to the request, this body is the key's.
      await store.putQueued({ ...q, change: { ...change, attempted: change.input } });
      return (await api.addExpense(change.input, q.key)).alerts;
    }
    const saved = await api.addExpense(change.attempted, q.key);
    // The expense exists now: what remains is a delete or an edit of it, stored as such first, so a
    // refusal of that step is an edit's (fixed as an edit), never an add made a second time.
    if (change.deleted) {
      await store.putQueued({ ...q, change: { kind: 'delete', id: saved.expense.id } });
      return deleteIfPresent(saved.expense.id);
    }
    if (JSON.stringify(change.attempted) === JSON.stringify(change.input)) return saved.alerts;
    await store.putQueued({ ...q, change: { kind: 'update', id: saved.expense.id, input: change.input, before: saved.expense } });
    return (await api.updateExpense(saved.expense.id, change.input)).alerts;
  }

  async function syncNow(): Promise<SyncResult> {
    const result: SyncResult = { sent: 0, rejected: 0, alerts: [] };
    for (const q of await store.listQueued(owner)) {
      if (q.rejected) continue;
      try {
        result.alerts.push(...(await send(q)));
        await store.deleteQueued(q.key);
        result.sent++;
        online();
      } catch (error) {
        if (error instanceof ApiError && REJECTIONS.has(error.status)) {
          await store.putQueued({ ...(await queuedFor(q.key) ?? q), rejected: { status: error.status, reason: error.message, fields: error.fields } });
          result.rejected++;
          continue;
        }
        // Unreachable, signed out, rate limited or a server fault: the rest waits for the next try.
        if (isUnreachable(error)) publish({ offline: true });
        break;
      }
    }
    await refreshQueued();
    return result;
  }

  const offlineApi: ApiClient = {
    ...api,
    getBudget: () => cached('budget', () => api.getBudget()),
    listCategories: () => cached('categories', () => api.listCategories()),
    getSummary: (month) => cached(`summary:${month}`, () => api.getSummary(month)),
    getTrends: (to) => cached(`trends:${to}`, () => api.getTrends(to)),
    listAlerts: (month) => cached(`alerts:${month}`, () => api.listAlerts(month)),
    async listAllExpenses(month) {
      await ready;
      const items = remember(await cached(`expenses:${month}`, () => api.listAllExpenses(month)));
      return withQueued(items, state.queued, { month, firstPage: true });
    },
    async listExpenses(query: ListQuery) {
      await ready;
      // Only the first page is kept: offline, the list shows it (and "load more" names the problem).
      const read = () => api.listExpenses(query);
      const page: ExpensePage = query.cursor ? await read() : await cached(`page:${query.month}:${query.category ?? ''}:${query.limit ?? ''}`, read);
      if (query.cursor) online();
      remember(page.items);
      return { ...page, items: withQueued(page.items, state.queued, { month: query.month, category: query.category || undefined, firstPage: !query.cursor }) };
    },
    async addExpense(input, idempotencyKey) {
      const key = idempotencyKey ?? newKey();
      try {
        const saved = await api.addExpense(input, key);
        online();
        return saved;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        // It may have reached the server: the key stays bound to this body.
        await enqueue(key, { kind: 'add', input, attempted: input });
        return { expense: pendingExpense((await queuedFor(key))!)!, alerts: [] };
      }
    },
    async updateExpense(id, input): Promise<SavedExpense> {
      const existing = await queuedForExpense(id);
      if (existing?.change.kind === 'add') {
        await store.putQueued({ ...existing, change: { ...existing.change, input } });
        await refreshQueued();
        return { expense: pendingExpense((await queuedFor(existing.key))!)!, alerts: [] };
      }
      if (!existing) {
        try {
          const saved = await api.updateExpense(id, input);
          online();
          return saved;
        } catch (error) {
          if (!isUnreachable(error)) throw error;
        }
      }
      // An edit is sent whole: a later edit of the same expense replaces the queued one.
      const key = existing?.key ?? newKey();
      const before = known.get(id);
      await enqueue(key, { kind: 'update', id, input, ...(before ? { before } : {}) });
      return { expense: pendingExpense((await queuedFor(key))!)!, alerts: [] };
    },
    async deleteExpense(id) {
      const existing = await queuedForExpense(id);
      if (existing?.change.kind === 'add') {
        if (existing.change.attempted) await store.putQueued({ ...existing, change: { ...existing.change, deleted: true } });
        else await store.deleteQueued(existing.key);
        await refreshQueued();
        return;
      }
      if (!existing) {
        try {
          await api.deleteExpense(id);
          online();
          return;
        } catch (error) {
          if (!isUnreachable(error)) throw error;
        }
      }
      const before = known.get(id);
      await enqueue(existing?.key ?? newKey(), { kind: 'delete', id, ...(before ? { before } : {}) });
    },
  };

  return {
    api: offlineApi,
    status: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sync() {
      running ??= exclusive(syncNow).finally(() => { running = null; });
      return running;
    },
    async discard(key) {
      await store.deleteQueued(key);
      await refreshQueued();
    },
    async fix(key, input) {
      const q = await queuedFor(key);
      if (!q) return;
      await store.deleteQueued(key);
      const { change } = q;
      // A refused add created nothing under its key; a refused edit of an expense deleted elsewhere becomes an add.
      const asAdd = change.kind === 'add' || (change.kind === 'update' && q.rejected?.status === 404);
      const next: Change = asAdd ? { kind: 'add', input }
        : change.kind === 'update' ? { ...change, input } : change;
      await store.putQueued({ key: asAdd ? newKey() : key, owner, queuedAt: q.queuedAt, change: next });
      await refreshQueued();
    },
  };
}
