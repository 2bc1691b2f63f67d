import { inject, injectable } from 'inversify';
import type { RecurrenceRepository, VersionedRecurrence } from '../../application/ports.js';
import type { Recurrence } from '../../domain/recurrence.js';
import { InMemoryLedgerRepository } from './memory-ledger-repository.js';

/** Recurring expenses in process memory, for tests and `STORAGE=memory`, stored beside the expenses they make. */
@injectable()
export class InMemoryRecurrenceRepository implements RecurrenceRepository {
  constructor(@inject(InMemoryLedgerRepository) private readonly ledger: InMemoryLedgerRepository) {}

  async list(userId: string): Promise<VersionedRecurrence[]> {
    return structuredClone([...this.ledger.recurrencesOf(userId).values()]
      .sort((a, b) => (a.recurrence.createdAt < b.recurrence.createdAt ? -1 : a.recurrence.createdAt > b.recurrence.createdAt ? 1 : a.recurrence.id < b.recurrence.id ? -1 : 1))
      );
  }

  async listForDisplay(userId: string): Promise<Recurrence[]> {
    return (await this.list(userId)).map((r) => r.recurrence);
  }

  async get(userId: string, id: string): Promise<VersionedRecurrence | null> {
    const stored = this.ledger.recurrencesOf(userId).get(id);
    return stored ? structuredClone(stored) : null;
  }

  async listDue(now: Date, limit: number): Promise<{ userId: string; id: string }[]> {
    return this.ledger.allRecurrences()
      .filter(({ stored }) => stored.dueAt !== null && stored.dueAt <= now.getTime())
      .sort((a, b) => a.stored.dueAt! - b.stored.dueAt!)
      .slice(0, limit)
      .map(({ userId, stored }) => ({ userId, id: stored.recurrence.id }));
  }
}
