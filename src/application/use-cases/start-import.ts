import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { ValidationError } from '../../domain/errors.js';
import { suggestSettings, type ImportSuggestion } from '../../domain/import-detect.js';
import { columnNames, type ImportTable } from '../../domain/import-rows.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { spendOneWrite, UserWriteQueue } from '../ledger-write.js';
import { TOKENS, type CategoryRepository, type Clock, type ImportRecord, type ImportRepository, type LedgerRepository } from '../ports.js';

export interface ImportDraft {
  record: ImportRecord;
  suggestion: ImportSuggestion;
  /** The columns under the suggested header setting. */
  columns: string[];
  /** The first records as parsed, header included, for the mapping screen. */
  sample: string[][];
}

const SAMPLE_RECORDS = 6;

/**
 * Stores an uploaded file (already parsed into records) as a draft import and suggests how to
 * read it. The upload is one write from the user's rate bucket: files are up to 5 MB.
 */
@injectable()
export class StartImport {
  constructor(
    @inject(TOKENS.ImportRepository) private readonly imports: ImportRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
  ) {}

  async execute(userId: string, file: { fileName: string; delimiter: string; table: ImportTable }): Promise<ImportDraft> {
    const { table } = file;
    const suggestion = suggestSettings(table, file.delimiter, (await this.categories.getCategories(userId)).categories);
    if (table.rows.length - (suggestion.settings.header ? 1 : 0) < 1) {
      throw new ValidationError({ file: 'holds no rows below its header' }, 'Invalid field: file');
    }
    const now = this.clock.now();
    await spendOneWrite(this.ledger, this.writes, this.writeRateLimit, userId, now);
    const record: ImportRecord = {
      id: randomUUID(), fileName: file.fileName, createdAt: now.toISOString(), status: 'draft', records: table.rows.length, delimiter: file.delimiter,
    };
    await this.imports.create(userId, record, table);
    return { record, suggestion, columns: columnNames(table, suggestion.settings.header), sample: table.rows.slice(0, SAMPLE_RECORDS).map((r) => r.cells) };
  }
}
