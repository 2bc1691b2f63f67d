import { inject, injectable } from 'inversify';
import { requireImport } from '../import-plan.js';
import { TOKENS, type ImportRecord, type ImportRepository } from '../ports.js';

/** The user's imports, newest first: what each brought in, and whether it can still be undone. */
@injectable()
export class ListImports {
  constructor(@inject(TOKENS.ImportRepository) private readonly imports: ImportRepository) {}

  execute(userId: string): Promise<ImportRecord[]> {
    return this.imports.list(userId);
  }
}

@injectable()
export class GetImport {
  constructor(@inject(TOKENS.ImportRepository) private readonly imports: ImportRepository) {}

  async execute(userId: string, id: string): Promise<ImportRecord> {
    return (await requireImport(this.imports, userId, id)).record;
  }
}
