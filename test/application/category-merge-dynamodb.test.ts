import { TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { DYNAMODB_TOKENS } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { CreateCategory } from '../../src/application/use-cases/create-category.js';
import { DeleteCategory } from '../../src/application/use-cases/delete-category.js';
import { GetCategoryUsage } from '../../src/application/use-cases/get-category-usage.js';
import { GetMonthSummary } from '../../src/application/use-cases/get-month-summary.js';
import { ListCategories } from '../../src/application/use-cases/list-categories.js';
import { ListExpenses } from '../../src/application/use-cases/list-expenses.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES, details } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

const MONTHS = ['2026-09', '2026-10', '2026-11'];
const USER = 'merging-user';

/**
 * A merge of 230 expenses over three months on DynamoDB Local, cut off by a failing transaction
 * and repeated: at every moment each month's totals equal the sum of its expenses as listed.
 */
describe('category merge on DynamoDB Local', function () {
  this.timeout(120_000);
  let app: TestApp;
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeEach(async () => {
    table = await freshTable();
    app = testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName, writeRateLimit: BULK_WRITES });
  });
  afterEach(async () => table.drop());

  /** Each month's totals against its expenses as listed. */
  async function expectExactTotals(): Promise<void> {
    for (const month of MONTHS) {
      const summary = await app.get(GetMonthSummary).execute(USER, month);
      const page = await app.get(ListExpenses).execute(USER, { month, limit: 100 });
      expect(page.nextCursor, 'a month fits in one page').to.equal(null);
      const listed = page.items;
      const byCategory: Record<string, number> = {};
      for (const e of listed) byCategory[e.category] = (byCategory[e.category] ?? 0) + e.amount;
      expect({ total: summary.total, byCategory: summary.byCategory }, month).to.deep.equal({ total: listed.reduce((sum, e) => sum + e.amount, 0), byCategory });
    }
  }

  it('moves every expense and its totals in batches, survives a cut-off transaction, and finishes when repeated', async () => {
    const pets = await app.get(CreateCategory).execute(USER, { name: 'Pets' });
    const add = app.get(AddExpense);
    for (let i = 0; i < 230; i++) {
      const month = MONTHS[i % 3]!;
      await add.execute(USER, details({ amount: 100 + i, category: i % 10 === 0 ? 'Other' : pets.id, date: `${month}-${String(1 + (i % 28)).padStart(2, '0')}` }));
    }
    expect(await app.get(GetCategoryUsage).execute(USER, pets.id)).to.deep.equal({ expenses: 207, months: 3, limited: false });

    // The second batch's transaction fails for good, as if the Lambda died there.
    const client = app.container.get<DynamoDBClient>(DYNAMODB_TOKENS.Client);
    let transactions = 0;
    const send = client.send.bind(client);
    client.send = ((command: unknown) => {
      if (command instanceof TransactWriteItemsCommand && ++transactions === 2) return Promise.reject(new Error('Lambda timed out'));
      return send(command as never);
    }) as typeof client.send;
    const cut = await app.get(DeleteCategory).execute(USER, pets.id, 'Food').then(() => null, (e: unknown) => e);
    expect(cut).to.be.instanceOf(Error);
    await expectExactTotals();
    const between = await app.get(GetCategoryUsage).execute(USER, pets.id);
    expect(between.expenses).to.be.above(0).and.below(207);

    client.send = send as typeof client.send;
    expect(await app.get(DeleteCategory).execute(USER, pets.id, 'Food')).to.deep.equal({ moved: between.expenses });
    await expectExactTotals();
    expect((await app.get(ListCategories).execute(USER)).map((c) => c.id)).to.not.include(pets.id);
    expect(await app.get(GetCategoryUsage).execute(USER, 'Food')).to.deep.equal({ expenses: 207, months: 3, limited: false });
  });
});

describe('category delete racing expense writes on DynamoDB Local', function () {
  this.timeout(120_000);
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeEach(async () => {
    table = await freshTable();
  });
  afterEach(async () => table.drop());

  it('never leaves an expense in a deleted category: adds from another instance either land before and move, or are refused', async () => {
    const config = { storage: 'dynamodb' as const, dynamoDbEndpoint: table.endpoint, tableName: table.tableName, writeRateLimit: BULK_WRITES };
    const [deleter, writer] = [testApp(config), testApp(config)];
    for (let round = 0; round < 4; round++) {
      const user = `racing-${round}`;
      const pets = await deleter.get(CreateCategory).execute(user, { name: 'Pets' });
      for (let i = 0; i < 3; i++) await writer.get(AddExpense).execute(user, details({ amount: 100 + i, category: pets.id, date: '2026-11-05' }));
      const adds = Array.from({ length: 8 }, (_, i) => writer.get(AddExpense).execute(user, details({ amount: 200 + i, category: pets.id, date: `2026-1${i % 2}-06` }))
        .then(() => 'added', (error: Error) => error.constructor.name));
      const [deleted, ...outcomes] = await Promise.all([deleter.get(DeleteCategory).execute(user, pets.id, 'Food'), ...adds]);
      expect(outcomes.every((o) => o === 'added' || o === 'ValidationError'), JSON.stringify(outcomes)).to.equal(true);
      const added = outcomes.filter((o) => o === 'added').length;
      expect(deleted.moved, 'every expense that landed moved').to.equal(3 + added);
      expect((await deleter.get(ListCategories).execute(user)).map((c) => c.id)).to.not.include(pets.id);
      for (const month of ['2026-10', '2026-11']) {
        const listed = (await deleter.get(ListExpenses).execute(user, { month, limit: 100 })).items;
        expect(listed.filter((e) => e.category === pets.id), `${month}: left in the deleted category`).to.deep.equal([]);
        const summary = await deleter.get(GetMonthSummary).execute(user, month);
        expect(summary.total).to.equal(listed.reduce((sum, e) => sum + e.amount, 0));
        expect(summary.byCategory).to.not.have.property(pets.id);
      }
    }
  });
});
