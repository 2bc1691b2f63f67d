/**
 * What the page keeps on the device for when the network is gone: the last answer to each read
 * ("snapshots", with when it was saved) and the changes not yet sent ("queued"), both per user so a
 * shared device never shows one user's data to another. Two adapters with one contract
 * (test/client/offline-store.test.ts): IndexedDB through `idb` in the browser, memory in unit tests.
 */
import { openDB, type DBSchema } from 'idb';
import type { Expense, ExpenseInput } from '../types.js';

export interface Snapshot<T> {
  value: T;
  /** Epoch ms: when the server gave this answer. */
  savedAt: number;
}

export type Change =
  | {
    kind: 'add';
    input: ExpenseInput;
    /**
     * The body of the first attempt, once one was made: it may have reached the server, and the
     * Idempotency-Key stays bound to it, so it is what gets sent (then an update to `input`).
     */
    attempted?: ExpenseInput;
    /** Deleted before it was sent, after an attempt that may have reached the server. */
    deleted?: true;
  }
  | { kind: 'update'; id: string; input: ExpenseInput; before?: Expense }
  | { kind: 'delete'; id: string; before?: Expense };

/** A change made offline (or whose request never got an answer), waiting to be sent. */
export interface QueuedChange {
  /** Unique per change; an add's Idempotency-Key. */
  key: string;
  owner: string;
  /** Epoch ms; changes are sent in this order. */
  queuedAt: number;
  change: Change;
  /** Set when the server refused it (400, 404, 409, 422): kept until fixed or discarded. */
  rejected?: { status: number; reason: string; fields: Record<string, string> };
}

export interface OfflineStore {
  readSnapshot<T>(owner: string, name: string): Promise<Snapshot<T> | null>;
  writeSnapshot(owner: string, name: string, snapshot: Snapshot<unknown>): Promise<void>;
  /** Forgets one user's snapshots (sign-out); queued changes stay. */
  clearSnapshots(owner: string): Promise<void>;
  /** The user's queued changes, oldest first. */
  listQueued(owner: string): Promise<QueuedChange[]>;
  putQueued(change: QueuedChange): Promise<void>;
  deleteQueued(key: string): Promise<void>;
}

const byQueuedAt = (a: QueuedChange, b: QueuedChange) => a.queuedAt - b.queuedAt || (a.key < b.key ? -1 : 1);

export function memoryOfflineStore(): OfflineStore {
  const snapshots = new Map<string, Snapshot<unknown>>();
  const queued = new Map<string, QueuedChange>();
  // Copies in and out, as IndexedDB's structured clone does: nobody holds the stored object.
  const clone = <T>(value: T): T => structuredClone(value);
  return {
    async readSnapshot<T>(owner: string, name: string) {
      const found = snapshots.get(`${owner}|${name}`);
      return found ? clone(found as Snapshot<T>) : null;
    },
    async writeSnapshot(owner, name, snapshot) {
      snapshots.set(`${owner}|${name}`, clone(snapshot));
    },
    async clearSnapshots(owner) {
      for (const key of [...snapshots.keys()]) if (key.startsWith(`${owner}|`)) snapshots.delete(key);
    },
    async listQueued(owner) {
      return [...queued.values()].filter((q) => q.owner === owner).sort(byQueuedAt).map(clone);
    },
    async putQueued(change) {
      queued.set(change.key, clone(change));
    },
    async deleteQueued(key) {
      queued.delete(key);
    },
  };
}

interface OfflineDb extends DBSchema {
  snapshots: { key: [string, string]; value: Snapshot<unknown> & { owner: string; name: string } };
  queued: { key: string; value: QueuedChange; indexes: { owner: string } };
}

export async function indexedDbOfflineStore(name = 'budget-offline'): Promise<OfflineStore> {
  const db = await openDB<OfflineDb>(name, 1, {
    upgrade(database) {
      database.createObjectStore('snapshots', { keyPath: ['owner', 'name'] });
      database.createObjectStore('queued', { keyPath: 'key' }).createIndex('owner', 'owner');
    },
  });
  return {
    async readSnapshot<T>(owner: string, snapshotName: string) {
      const found = await db.get('snapshots', [owner, snapshotName]);
      return found ? { value: found.value as T, savedAt: found.savedAt } : null;
    },
    async writeSnapshot(owner, snapshotName, snapshot) {
      await db.put('snapshots', { owner, name: snapshotName, value: snapshot.value, savedAt: snapshot.savedAt });
    },
    async clearSnapshots(owner) {
      const tx = db.transaction('snapshots', 'readwrite');
      for await (const cursor of tx.store.iterate(IDBKeyRange.bound([owner, ''], [owner, '\uffff']))) await cursor.delete();
      await tx.done;
    },
    async listQueued(owner) {
      return (await db.getAllFromIndex('queued', 'owner', owner)).sort(byQueuedAt);
    },
    async putQueued(change) {
      await db.put('queued', change);
    },
    async deleteQueued(key) {
      await db.delete('queued', key);
    },
  };
}
