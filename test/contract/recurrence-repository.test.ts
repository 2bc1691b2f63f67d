import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { DynamoDbRecurrenceRepository } from '../../src/adapters/dynamodb/dynamodb-recurrence-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { InMemoryRecurrenceRepository } from '../../src/adapters/memory/memory-recurrence-repository.js';
import { RecordingLogger } from '../support/app.js';
import { freshTable } from '../support/services.js';
import { recurrenceRepositoryContract } from './recurrence-repository.contract.js';

recurrenceRepositoryContract('in memory', async () => {
  const ledger = new InMemoryLedgerRepository();
  return { recurrences: new InMemoryRecurrenceRepository(ledger), ledger, cleanup: async () => {} };
});

recurrenceRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return {
    recurrences: new DynamoDbRecurrenceRepository(table.client, table.tableName),
    ledger: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()),
    cleanup: table.drop,
  };
});
