import { DynamoDbExpenseExport } from '../../src/adapters/dynamodb/dynamodb-expense-export.js';
import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { InMemoryExpenseExport } from '../../src/adapters/memory/memory-expense-export.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { RecordingLogger } from '../support/app.js';
import { freshTable } from '../support/services.js';
import { expenseExportContract } from './expense-export.contract.js';

expenseExportContract('in memory', async () => {
  const ledger = new InMemoryLedgerRepository();
  return { reader: new InMemoryExpenseExport(ledger), ledger, cleanup: async () => {} };
});

expenseExportContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return {
    reader: new DynamoDbExpenseExport(table.client, table.tableName),
    ledger: new DynamoDbLedgerRepository(table.client, table.tableName, new RecordingLogger()),
    cleanup: table.drop,
  };
});
