import type { Container, Newable } from 'inversify';
import { TOKENS } from '../application/ports.js';
import { CommitImport } from '../application/use-cases/commit-import.js';
import { GetImport, ListImports } from '../application/use-cases/list-imports.js';
import { PreviewImport } from '../application/use-cases/preview-import.js';
import { StartImport } from '../application/use-cases/start-import.js';
import { UndoImport } from '../application/use-cases/undo-import.js';
import { DynamoDbImportRepository } from '../adapters/dynamodb/dynamodb-import-repository.js';
import type { ImportDependencies } from '../adapters/http/api-handler.js';
import { InMemoryImportRepository } from '../adapters/memory/memory-import-repository.js';

/** The imports' part of the composition root: their port's adapter and their use cases (the imports Lambda, `npm start`, the tests). */
export function bindImports(container: Container, storage: 'dynamodb' | 'memory'): void {
  container.bind(TOKENS.ImportRepository).to(storage === 'memory' ? InMemoryImportRepository : DynamoDbImportRepository);
  const useCases: Newable<object>[] = [StartImport, PreviewImport, CommitImport, UndoImport, ListImports, GetImport];
  for (const useCase of useCases) container.bind(useCase).toSelf();
}

export function importDependencies(container: Container, allowedOrigins: string[]): ImportDependencies {
  return {
    startImport: container.get(StartImport),
    previewImport: container.get(PreviewImport),
    commitImport: container.get(CommitImport),
    undoImport: container.get(UndoImport),
    listImports: container.get(ListImports),
    getImport: container.get(GetImport),
    logger: container.get(TOKENS.Logger),
    allowedOrigins,
  };
}
