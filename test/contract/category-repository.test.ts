import { DynamoDbCategoryRepository } from '../../src/adapters/dynamodb/dynamodb-category-repository.js';
import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { InMemoryCategoryRepository } from '../../src/adapters/memory/memory-category-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { RecordingLogger } from '../support/app.js';
import { freshTable } from '../support/services.js';
import { categoryRepositoryContract } from './category-repository.contract.js';

categoryRepositoryContract('in memory', async () => {
  const ledger = new InMemoryLedgerRepository();
  return { categories: new InMemoryCategoryRepository(ledger), ledger, cleanup: async () => {} };
});

categoryRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return {
    categories: new DynamoDbCategoryRepository(table.client, table.tableName),
    ledger: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()),
    cleanup: table.drop,
  };
});
