import type { Container } from 'inversify';
import { TOKENS } from './application/ports.js';
import type { ApiDependencies } from './adapters/http/api-handler.js';
import { InMemoryCategoryRepository } from './adapters/memory/memory-category-repository.js';
import { InMemoryExpenseExport } from './adapters/memory/memory-expense-export.js';
import { InMemoryLedgerRepository } from './adapters/memory/memory-ledger-repository.js';
import { InMemoryRecurrenceRepository } from './adapters/memory/memory-recurrence-repository.js';
import { bindImports, importDependencies } from './composition/imports.js';
import { bindReports } from './composition/reports.js';
import { baseContainer, bindCoreUseCases, bindDynamoDb, coreDependencies, type RuntimeConfig } from './composition/wiring.js';

export { lambdaConfig, type RuntimeConfig } from './composition/wiring.js';

/**
 * The one place where ports meet adapters, whole: every use case, over DynamoDB or in memory, for
 * `npm start` and the tests. Its parts live in `src/composition/`; each Lambda takes only the
 * parts it runs (see `src/entrypoints/lambda/`).
 */
export function createContainer(config: RuntimeConfig): Container {
  const container = baseContainer(config);
  if (config.storage === 'memory') {
    // One store: the category, import and recurrence repositories commit with the ledger in one step.
    container.bind(InMemoryLedgerRepository).toSelf();
    container.bind(TOKENS.LedgerRepository).toService(InMemoryLedgerRepository);
    container.bind(TOKENS.CategoryRepository).to(InMemoryCategoryRepository);
    container.bind(TOKENS.ExpenseExportReader).to(InMemoryExpenseExport);
    container.bind(TOKENS.RecurrenceRepository).to(InMemoryRecurrenceRepository);
  } else {
    bindDynamoDb(container, config);
  }
  bindCoreUseCases(container);
  bindImports(container, config.storage);
  bindReports(container, config.storage, config.region, config.reports);
  return container;
}

export function apiDependencies(container: Container, allowedOrigins: string[]): ApiDependencies {
  return { ...coreDependencies(container, allowedOrigins), ...importDependencies(container, allowedOrigins) };
}
