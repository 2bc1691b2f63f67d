import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { DynamoDbReportRepository } from '../../src/adapters/dynamodb/dynamodb-report-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { InMemoryReportRepository } from '../../src/adapters/memory/memory-report-repository.js';
import { RecordingLogger } from '../support/app.js';
import { freshTable } from '../support/services.js';
import { reportRepositoryContract } from './report-repository.contract.js';

reportRepositoryContract('in memory', async () => {
  const ledger = new InMemoryLedgerRepository();
  return { reports: new InMemoryReportRepository(ledger), ledger, cleanup: async () => {} };
});

reportRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return {
    reports: new DynamoDbReportRepository(table.client, table.tableName),
    ledger: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()),
    cleanup: table.drop,
  };
});
