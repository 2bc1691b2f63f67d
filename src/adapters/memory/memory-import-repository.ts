import { inject, injectable } from 'inversify';
import { ConcurrentChangeError, type ImportBatch, type ImportRecord, type ImportRepository, type VersionedImport } from '../../application/ports.js';
import type { ImportTable } from '../../domain/import-rows.js';
import { InMemoryLedgerRepository } from './memory-ledger-repository.js';

/** Imports in process memory, for tests and `STORAGE=memory`, stored beside the ledger's expenses that their batches commit with. */
@injectable()
export class InMemoryImportRepository implements ImportRepository {
  constructor(@inject(InMemoryLedgerRepository) private readonly ledger: InMemoryLedgerRepository) {}

  async create(userId: string, record: ImportRecord, table: ImportTable): Promise<void> {
    const imports = this.ledger.importsOf(userId);
    if (imports.has(record.id)) throw new ConcurrentChangeError();
    imports.set(record.id, { record: structuredClone(record), version: 1, table: structuredClone(table), batches: new Map() });
  }

  async get(userId: string, id: string): Promise<VersionedImport | null> {
    const stored = this.ledger.importsOf(userId).get(id);
    return stored ? structuredClone({ record: stored.record, version: stored.version }) : null;
  }

  async getTable(userId: string, id: string): Promise<ImportTable> {
    return structuredClone(this.ledger.importsOf(userId).get(id)!.table);
  }

  async list(userId: string): Promise<ImportRecord[]> {
    return structuredClone([...this.ledger.importsOf(userId).values()].map((s) => s.record).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)));
  }

  async save(userId: string, record: ImportRecord, expectedVersion: number): Promise<void> {
    const stored = this.ledger.importsOf(userId).get(record.id);
    if (!stored || stored.version !== expectedVersion) throw new ConcurrentChangeError();
    stored.record = structuredClone(record);
    stored.version = expectedVersion + 1;
  }

  async listBatches(userId: string, id: string): Promise<ImportBatch[]> {
    return structuredClone([...(this.ledger.importsOf(userId).get(id)?.batches.values() ?? [])]);
  }
}
