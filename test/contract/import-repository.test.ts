import { DynamoDbImportRepository } from '../../src/adapters/dynamodb/dynamodb-import-repository.js';
import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { InMemoryImportRepository } from '../../src/adapters/memory/memory-import-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { RecordingLogger } from '../support/app.js';
import { freshTable } from '../support/services.js';
import { importRepositoryContract } from './import-repository.contract.js';

importRepositoryContract('in memory', async () => {
  const ledger = new InMemoryLedgerRepository();
  return { imports: new InMemoryImportRepository(ledger), ledger, cleanup: async () => {} };
});

importRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return {
    imports: new DynamoDbImportRepository(table.client, table.tableName),
    ledger: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()),
    cleanup: table.drop,
  };
});
