import { inject, injectable } from 'inversify';
import { fileCategoryNames } from '../../domain/import-detect.js';
import { nameKey } from '../../domain/category.js';
import { cleanText, columnNames, DEFAULT_CATEGORY, type ImportSettings } from '../../domain/import-rows.js';
import { countStatuses, planStoredImport, requireImport, type PlannedRow, type RowStatus } from '../import-plan.js';
import { TOKENS, type CategoryRepository, type ExpenseExportReader, type ImportRepository, type LedgerRepository } from '../ports.js';

export interface PreviewQuery {
  /** Only rows of this status. */
  status?: RowStatus;
  offset: number;
  limit: number;
}

export interface ImportPreview {
  columns: string[];
  counts: Record<RowStatus, number>;
  /** The file's category names, how many rows use each, and where the settings send them. */
  categories: { name: string; rows: number; to: string }[];
  rows: PlannedRow[];
  /** Where the next page of rows starts; null on the last. */
  nextOffset: number | null;
  currency: string;
}

/** What committing the import with `settings` would do, row by row, a page at a time. Writes nothing. */
@injectable()
export class PreviewImport {
  constructor(
    @inject(TOKENS.ImportRepository) private readonly imports: ImportRepository,
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.ExpenseExportReader) private readonly reader: ExpenseExportReader,
  ) {}

  async execute(userId: string, id: string, settings: ImportSettings, query: PreviewQuery): Promise<ImportPreview> {
    await requireImport(this.imports, userId, id);
    const { table, currency, rows } = await planStoredImport({ imports: this.imports, ledger: this.ledger, categories: this.categories, reader: this.reader }, userId, id, settings);
    const matching = query.status ? rows.filter((row) => row.status === query.status) : rows;
    const end = query.offset + query.limit;
    const targets = new Map(settings.categories.map(({ name, to }) => [nameKey(cleanText(name)), to]));
    return {
      columns: columnNames(table, settings.header),
      counts: countStatuses(rows),
      categories: fileCategoryNames(table, settings).map(({ name, rows: count }) => ({ name, rows: count, to: targets.get(nameKey(name)) ?? DEFAULT_CATEGORY })),
      rows: matching.slice(query.offset, end),
      nextOffset: end < matching.length ? end : null,
      currency,
    };
  }
}
