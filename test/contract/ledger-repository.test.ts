import { DynamoDbLedgerRepository } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { InMemoryLedgerRepository } from '../../src/adapters/memory/memory-ledger-repository.js';
import { freshTable } from '../support/services.js';
import { ledgerRepositoryContract } from './ledger-repository.contract.js';

ledgerRepositoryContract('in memory', async () => ({ repository: new InMemoryLedgerRepository(), cleanup: async () => {} }));

ledgerRepositoryContract('DynamoDB Local', async () => {
  const table = await freshTable();
  return { repository: new DynamoDbLedgerRepository(table.client, table.tableName), cleanup: table.drop };
});
