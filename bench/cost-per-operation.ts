// Consumed DynamoDB capacity per user action as a user's history grows, ours beside the naive design.
//
// Both designs run against the same DynamoDB Local with ReturnConsumedCapacity=INDEXES injected into
// every command by a client middleware, which also sums what each response reports. Ours is the
// real thing: the use cases from the composition root over DynamoDbLedgerRepository. The naive
// design is the original write-up's: write the expense, then query every expense of the month to
// recompute and store the total; the summary is that same query.
import { randomUUID } from 'node:crypto';
import {
  BatchGetItemCommand, BatchWriteItemCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand,
  type AttributeValue, type ConsumedCapacity, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { ensureExpensesTable } from '../src/adapters/dynamodb/create-table.js';
import { DYNAMODB_TOKENS, DynamoDbLedgerRepository } from '../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { expenseFromItem, expenseToItem } from '../src/adapters/dynamodb/ledger-items.js';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';
import { TOKENS, type Logger } from '../src/application/ports.js';
import { AddExpense } from '../src/application/use-cases/add-expense.js';
import { CreateCategory } from '../src/application/use-cases/create-category.js';
import { DeleteCategory } from '../src/application/use-cases/delete-category.js';
import { DeleteExpense } from '../src/application/use-cases/delete-expense.js';
import { GetMonthSummary } from '../src/application/use-cases/get-month-summary.js';
import { ListExpenses } from '../src/application/use-cases/list-expenses.js';
import { SetBudget } from '../src/application/use-cases/set-budget.js';
import { UpdateExpense } from '../src/application/use-cases/update-expense.js';
import { createContainer } from '../src/composition-root.js';
import { DEFAULT_CATEGORY_NAMES as CATEGORIES } from '../src/domain/category.js';
import type { Expense, ExpenseDetails } from '../src/domain/expense.js';
import { emptyMonth, type MonthTotals } from '../src/domain/month-totals.js';
import { startDynamoDbLocal } from '../src/entrypoints/local/dynamodb-local.js';
import type { Benchmark } from './benchmark.js';
import { measureImport } from './import-cost.js';
import { measureRecurring } from './recurring-cost.js';
import { measureCarryAndForecast } from './carry-cost.js';
import { median, printTable, type Cell } from './table.js';

const SIZES = [10, 1_000, 10_000];
/** Every seeded and measured expense is in this month, so the naive design has to read them all. */
const MONTH = '2025-11';
/** Repetitions of each operation at each size (capacity is deterministic; latency is not). */
const REPETITIONS = 3;
/** The web client's page size. */
const PAGE_SIZE = 20;
const TABLE = expensesTable.name;
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

type Item = Record<string, AttributeValue>;
const OPERATIONS = ['add', 'update', 'delete', 'summary', 'list page'] as const;
type Operation = (typeof OPERATIONS)[number];
type Design = 'ours' | 'naive';

interface Cost { rcu: number; wcu: number; requests: number; ms: number }

/** Sums the capacity DynamoDB reports, split into reads and writes by the command that consumed it. */
export class CapacityMeter {
  rcu = 0;
  wcu = 0;
  requests = 0;

  reset(): void {
    this.rcu = 0;
    this.wcu = 0;
    this.requests = 0;
  }

  record(commandName: string, input: { TransactItems?: unknown[] }, consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): void {
    this.requests++;
    const isRead = /^(GetItem|BatchGetItem|Query|Scan|TransactGetItems)Command$/.test(commandName);
    const all = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    if (commandName === 'TransactWriteItemsCommand') {
      // DynamoDB Local reports 2 units for a whole transaction however many items it holds (checked
      // 2026-12-02: 1, 2 and 3 puts all report 2). AWS charges 2 WCU per item per started KB: a Put
      // is sized from its item (an import's batch record of 96 ids is about 4 KB), any other entry
      // is counted as one KB (the month, budget and import items these transactions update are under
      // 1 KB); plus the index writes Local does report.
      const indexUnits = all.flatMap((c) => Object.values(c.GlobalSecondaryIndexes ?? {})).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      const items = (input.TransactItems ?? []) as { Put?: { Item: Item } }[];
      this.wcu += items.reduce((sum, entry) => sum + 2 * (entry.Put ? Math.max(1, Math.ceil(itemBytes(entry.Put.Item) / 1024)) : 1), 0) + indexUnits;
      return;
    }
    for (const c of all) {
      // The service splits reads and writes when it can; otherwise CapacityUnits is the command's kind.
      if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
        this.rcu += c.ReadCapacityUnits ?? 0;
        this.wcu += c.WriteCapacityUnits ?? 0;
      } else if (isRead) {
        this.rcu += c.CapacityUnits ?? 0;
      } else {
        this.wcu += c.CapacityUnits ?? 0;
      }
    }
  }
}

/** An item's size by DynamoDB's rules (attribute names plus values), close enough to price it. */
export function itemBytes(item: Item): number {
  const valueBytes = (value: AttributeValue): number => {
    if (value.S !== undefined) return Buffer.byteLength(value.S);
    if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
    if (value.B !== undefined) return value.B.length;
    if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + valueBytes(v), 0);
    if (value.M !== undefined) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
    return 1;
  };
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: CREDENTIALS, maxAttempts: 4 });
}

/** A client that asks for ReturnConsumedCapacity=INDEXES on every command and records what comes back. */
export function meteredClient(endpoint: string, meter: CapacityMeter): DynamoDBClient {
  const client = dynamoClient(endpoint);
  client.middlewareStack.add((next, context) => async (args) => {
    (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'INDEXES';
    const result = await next(args);
    const output = result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] };
    meter.record(context.commandName ?? '', args.input as { TransactItems?: unknown[] }, output.ConsumedCapacity);
    return result;
  }, { step: 'initialize', name: 'consumedCapacityMeter' });
  return client;
}

const silentLogger: Logger = { info: () => {}, error: () => {} };
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

/** Deterministic details for the i-th expense of the month. */
function details(i: number): ExpenseDetails {
  return {
    amount: 100 + ((i * 7919) % 4900),
    category: CATEGORIES[i % CATEGORIES.length]!,
    date: `${MONTH}-${String(1 + (i % 28)).padStart(2, '0')}`,
    description: `Benchmark expense number ${i}`,
  };
}

function seededExpenses(count: number): Expense[] {
  const base = Date.parse(`${MONTH}-01T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(base + i * 1000).toISOString();
    return { id: randomUUID(), ...details(i), createdAt: at, updatedAt: at };
  });
}

async function batchWrite(client: DynamoDBClient, items: Item[]): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests: WriteRequest[] = batches[next++]!;
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt)));
        const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: requests } }));
        requests = result.UnprocessedItems?.[TABLE] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function totalsOf(expenses: Expense[]): MonthTotals {
  const totals: MonthTotals = emptyMonth(MONTH);
  for (const e of expenses) {
    totals.total += e.amount;
    totals.count++;
    totals.byCategory[e.category] = (totals.byCategory[e.category] ?? 0) + e.amount;
    totals.countByCategory[e.category] = (totals.countByCategory[e.category] ?? 0) + 1;
  }
  return totals;
}

/**
 * The design from the original write-up: one item per expense and a stored month total that every
 * write recomputes by reading all of the month's expenses (the by_date index, page by page).
 */
export class NaiveLedger {
  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  async add(userId: string, input: ExpenseDetails): Promise<Expense> {
    const now = new Date().toISOString();
    const expense: Expense = { id: randomUUID(), ...input, createdAt: now, updatedAt: now };
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: expenseToItem(userId, expense) }));
    await this.storeTotal(userId, input.date.slice(0, 7));
    return expense;
  }

  async update(userId: string, id: string, input: ExpenseDetails): Promise<Expense> {
    const found = await this.client.send(new GetItemCommand({ TableName: this.table, Key: this.key(userId, id) }));
    if (!found.Item) throw new Error(`no expense ${id}`);
    const previous = expenseFromItem(found.Item);
    const updated: Expense = { ...previous, ...input, updatedAt: new Date().toISOString() };
    await this.client.send(new PutItemCommand({ TableName: this.table, Item: expenseToItem(userId, updated) }));
    for (const month of new Set([previous.date.slice(0, 7), updated.date.slice(0, 7)])) await this.storeTotal(userId, month);
    return updated;
  }

  async delete(userId: string, id: string): Promise<void> {
    const removed = await this.client.send(new DeleteItemCommand({ TableName: this.table, Key: this.key(userId, id), ReturnValues: 'ALL_OLD' }));
    if (!removed.Attributes) throw new Error(`no expense ${id}`);
    await this.storeTotal(userId, removed.Attributes.date!.S!.slice(0, 7));
  }

  summary(userId: string, month: string): Promise<{ total: number; byCategory: Record<string, number> }> {
    return this.sumMonth(userId, month);
  }

  async listPage(userId: string, month: string, limit: number): Promise<Expense[]> {
    const page = await this.client.send(new QueryCommand({
      TableName: this.table,
      IndexName: expensesTable.byDateIndex.name,
      KeyConditionExpression: '#pk = :user AND begins_with(list_key, :month)',
      ExpressionAttributeNames: { '#pk': expensesTable.partitionKey.name },
      ExpressionAttributeValues: { ':user': s(userId), ':month': s(`${month}-`) },
      ScanIndexForward: false,
      Limit: limit,
    }));
    return (page.Items ?? []).map(expenseFromItem);
  }

  private async storeTotal(userId: string, month: string): Promise<void> {
    const { total, byCategory } = await this.sumMonth(userId, month);
    await this.client.send(new PutItemCommand({
      TableName: this.table,
      Item: {
        ...this.key(userId, `#NAIVE_MONTH#${month}`),
        // `total` is a reserved word only in expressions; as an item attribute it is fine.
        total: n(total),
        by_category: { M: Object.fromEntries(Object.entries(byCategory).map(([k, v]) => [k, n(v)])) },
      },
    }));
  }

  private async sumMonth(userId: string, month: string): Promise<{ total: number; byCategory: Record<string, number> }> {
    let total = 0;
    const byCategory: Record<string, number> = {};
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.table,
        IndexName: expensesTable.byDateIndex.name,
        KeyConditionExpression: '#pk = :user AND begins_with(list_key, :month)',
        ExpressionAttributeNames: { '#pk': expensesTable.partitionKey.name },
        ExpressionAttributeValues: { ':user': s(userId), ':month': s(`${month}-`) },
        ProjectionExpression: 'amount, category',
        ExclusiveStartKey: startKey,
      }));
      for (const item of page.Items ?? []) {
        const amount = Number(item.amount!.N);
        total += amount;
        byCategory[item.category!.S!] = (byCategory[item.category!.S!] ?? 0) + amount;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { total, byCategory };
  }

  private key(userId: string, sortKey: string): Item {
    return { [expensesTable.partitionKey.name]: s(userId), [expensesTable.sortKey.name]: s(sortKey) };
  }
}

interface DesignUnderTest {
  add(i: number): Promise<string>;
  update(id: string, i: number): Promise<void>;
  delete(id: string): Promise<void>;
  summary(): Promise<void>;
  listPage(): Promise<void>;
}

async function measureDesign(meter: CapacityMeter, design: DesignUnderTest): Promise<Map<Operation, Cost[]>> {
  const costs = new Map<Operation, Cost[]>(OPERATIONS.map((op) => [op, []]));
  const measure = async <T>(op: Operation, action: () => Promise<T>): Promise<T> => {
    meter.reset();
    const started = performance.now();
    const result = await action();
    costs.get(op)!.push({ rcu: meter.rcu, wcu: meter.wcu, requests: meter.requests, ms: performance.now() - started });
    return result;
  };
  for (let r = 0; r < REPETITIONS; r++) {
    // Add, update and delete the same new expense: the history size stays where it was seeded.
    const id = await measure('add', () => design.add(1_000_000 + r));
    await measure('update', () => design.update(id, 2_000_000 + r));
    await measure('delete', () => design.delete(id));
    await measure('summary', () => design.summary());
    await measure('list page', () => design.listPage());
  }
  return costs;
}

interface UseCases {
  addExpense: AddExpense;
  updateExpense: UpdateExpense;
  deleteExpense: DeleteExpense;
  getMonthSummary: GetMonthSummary;
  listExpenses: ListExpenses;
}

function oursDesign(useCases: UseCases, userId: string, size: number): DesignUnderTest {
  return {
    add: async (i) => (await useCases.addExpense.execute(userId, details(i))).expense.id,
    update: async (id, i) => { await useCases.updateExpense.execute(userId, id, details(i)); },
    delete: (id) => useCases.deleteExpense.execute(userId, id),
    summary: async () => { await useCases.getMonthSummary.execute(userId, MONTH); },
    listPage: async () => {
      const page = await useCases.listExpenses.execute(userId, { month: MONTH, limit: PAGE_SIZE });
      if (page.items.length !== Math.min(PAGE_SIZE, size)) throw new Error(`list returned ${page.items.length} items, expected ${Math.min(PAGE_SIZE, size)}`);
    },
  };
}

function naiveDesign(naive: NaiveLedger, userId: string): DesignUnderTest {
  return {
    add: async (i) => (await naive.add(userId, details(i))).id,
    update: async (id, i) => { await naive.update(userId, id, details(i)); },
    delete: (id) => naive.delete(userId, id),
    summary: async () => { await naive.summary(userId, MONTH); },
    listPage: async () => { await naive.listPage(userId, MONTH, PAGE_SIZE); },
  };
}

export const costPerOperationBenchmark: Benchmark = {
  name: 'cost',
  title: 'DynamoDB capacity per operation as history grows (DynamoDB Local, ReturnConsumedCapacity=INDEXES)',
  async run() {
    const database = await startDynamoDbLocal();
    const seedClient = dynamoClient(database.endpoint);
    const meter = new CapacityMeter();
    const metered = meteredClient(database.endpoint, meter);
    // Our use cases over a repository whose client is metered (use cases are singletons: a bench
    // that sets its own clock takes a container of its own).
    const meteredContainer = () => {
      const made = createContainer({
        storage: 'dynamodb', tableName: TABLE, region: 'local', dynamoDbEndpoint: database.endpoint,
        notifier: 'memory', allowedOrigins: [],
      });
      made.get<DynamoDBClient>(DYNAMODB_TOKENS.Client).destroy();
      made.rebind(DYNAMODB_TOKENS.Client).toConstantValue(metered);
      made.rebind(TOKENS.Logger).toConstantValue(silentLogger);
      return made;
    };
    const container = meteredContainer();
    try {
      await ensureExpensesTable(seedClient, TABLE);
      const addExpense = container.get(AddExpense);
      const updateExpense = container.get(UpdateExpense);
      const deleteExpense = container.get(DeleteExpense);
      const getMonthSummary = container.get(GetMonthSummary);
      const listExpenses = container.get(ListExpenses);
      const setBudget = container.get(SetBudget);
      const seedRepository = new DynamoDbLedgerRepository(seedClient, TABLE, silentLogger);
      const naive = new NaiveLedger(metered, TABLE);

      const results = new Map<string, Map<Operation, Cost[]>>();
      const useCases: UseCases = { addExpense, updateExpense, deleteExpense, getMonthSummary, listExpenses };
      // Warm the JIT and the connections first, so the smallest size is not also the coldest.
      for (let i = 0; i < 2; i++) {
        await measureDesign(meter, oursDesign(useCases, 'bench-warm-up', 0));
        await measureDesign(meter, naiveDesign(naive, 'bench-warm-up-naive'));
      }
      for (const size of SIZES) {
        const started = performance.now();
        const oursUser = `bench-ours-${size}`;
        const naiveUser = `bench-naive-${size}`;
        const expenses = seededExpenses(size);
        await batchWrite(seedClient, [
          ...expenses.map((e) => expenseToItem(oursUser, e)),
          ...expenses.map((e) => expenseToItem(naiveUser, e)),
        ]);
        // Our month totals item, as the use cases would have left it after these writes.
        await seedRepository.commit(oursUser, { months: [{ totals: totalsOf(expenses), expectedVersion: 0 }], newAlerts: [] });
        // Limits far above what the month holds: the alert rule runs on every write, raises nothing.
        await setBudget.execute(oursUser, {
          currency: 'USD', monthlyLimit: 1_000_000_000, categoryLimits: { Food: 500_000_000, Transport: 500_000_000 },
          thresholds: [50, 80, 100], alertEmail: null, timeZone: 'UTC', rollover: [], forecastThresholds: [], monthlyReport: false,
        });
        console.log(`  seeded ${size.toLocaleString('en-US')} expenses per design in ${((performance.now() - started) / 1000).toFixed(1)} s`);

        results.set(`ours/${size}`, await measureDesign(meter, oursDesign(useCases, oursUser, size)));
        results.set(`naive/${size}`, await measureDesign(meter, naiveDesign(naive, naiveUser)));
      }

      const designs: Design[] = ['ours', 'naive'];
      const header = ['operation', ...designs.flatMap((d) => SIZES.map((size) => `${d} @${size.toLocaleString('en-US')}`))];
      const cell = (d: Design, size: number, op: Operation, pick: (c: Cost) => number): Cell => {
        const values = results.get(`${d}/${size}`)!.get(op)!.map(pick);
        const min = Math.min(...values);
        const max = Math.max(...values);
        return min === max ? min : `${fmt(min)}-${fmt(max)}`;
      };
      const table = (title: string, pick: (c: Cost) => number) => printTable(title, header,
        OPERATIONS.map((op) => [op, ...designs.flatMap((d) => SIZES.map((size) => cell(d, size, op, pick)))]));
      table(`Read capacity units per operation (${REPETITIONS} runs each; a range means runs differed)`, (c) => c.rcu);
      table('Write capacity units per operation', (c) => c.wcu);
      table('DynamoDB requests per operation', (c) => c.requests);
      printTable('Median latency per operation against DynamoDB Local, ms (indicative only)', header,
        OPERATIONS.map((op) => [op, ...designs.flatMap((d) => SIZES.map((size) => median(results.get(`${d}/${size}`)!.get(op)!.map((c) => c.ms))))]));

      // A list page of a month holding fewer expenses than a page is smaller, whatever the design:
      // compare list pages only where the page is full.
      const signature = (size: number, ops: readonly Operation[]) =>
        JSON.stringify(ops.map((op) => results.get(`ours/${size}`)!.get(op)!.map((c) => [c.rcu, c.wcu, c.requests])));
      const writesAndSummary = OPERATIONS.filter((op) => op !== 'list page');
      const fullPageSizes = SIZES.filter((size) => size > PAGE_SIZE);
      const flat = SIZES.every((size) => signature(size, writesAndSummary) === signature(SIZES[0]!, writesAndSummary))
        && fullPageSizes.every((size) => signature(size, ['list page']) === signature(fullPageSizes[0]!, ['list page']));
      console.log(`(a list page at ${SIZES.filter((size) => size <= PAGE_SIZE).join(', ')} expenses holds fewer than ${PAGE_SIZE} rows and reads less in both designs; list pages are compared from ${fullPageSizes[0]} up)`);
      const summaryRcu = Math.max(...SIZES.flatMap((size) => results.get(`ours/${size}`)!.get('summary')!.map((c) => c.rcu)));
      console.log(`Target "identical figures at every size" (ours): ${flat ? 'MET' : 'MISSED'}`);
      console.log(`Target "summary at most 1 RCU" (ours): ${summaryRcu <= 1 ? 'MET' : 'MISSED'} (${fmt(summaryRcu)} RCU)`);

      // The candidate fix, measured: read the same two items (keys as in dynamodb-ledger-repository.ts)
      // in one eventually consistent BatchGetItem instead of two strongly consistent GetItems.
      const largest = `bench-ours-${SIZES[SIZES.length - 1]}`;
      const keyOf = (sortKey: string): Item => ({ [expensesTable.partitionKey.name]: s(largest), [expensesTable.sortKey.name]: s(sortKey) });
      meter.reset();
      const batch = await metered.send(new BatchGetItemCommand({
        RequestItems: { [TABLE]: { Keys: [keyOf(`#MONTH#${MONTH}`), keyOf('#BUDGET')], ConsistentRead: false } },
      }));
      const found = batch.Responses?.[TABLE]?.length ?? 0;
      console.log(`Experiment: month totals + budget (${found} items) in one eventually consistent BatchGetItem: ${fmt(meter.rcu)} RCU, ${meter.requests} request`);

      // An expense in a category of the user's own costs what one in a default category costs:
      // its id is checked against the active ids the budget item (read by every write) holds.
      const pets = await container.get(CreateCategory).execute(largest, { name: 'Pets' });
      const custom: Cost[] = [];
      for (let r = 0; r < REPETITIONS; r++) {
        meter.reset();
        const { expense } = await addExpense.execute(largest, { ...details(3_000_000 + r), category: pets.id });
        custom.push({ rcu: meter.rcu, wcu: meter.wcu, requests: meter.requests, ms: 0 });
        await deleteExpense.execute(largest, expense.id);
      }
      const defaults = results.get(`ours/${SIZES[SIZES.length - 1]}`)!.get('add')!;
      const same = JSON.stringify(custom.map((c) => [c.rcu, c.wcu, c.requests])) === JSON.stringify(defaults.map((c) => [c.rcu, c.wcu, c.requests]));
      console.log(`Add in a custom category: ${fmt(custom[0]!.rcu)} RCU, ${fmt(custom[0]!.wcu)} WCU, ${custom[0]!.requests} requests; `
        + `target "costs what an add in a default category costs": ${same ? 'MET' : 'MISSED'}`);

      await measureMerge(seedClient, seedRepository, meter, container);
      await measureImport(meter, container, defaults[0]!);
      await measureRecurring(meter, meteredContainer());
      await measureCarryAndForecast(meter, meteredContainer(), defaults[0]!);
    } finally {
      metered.destroy();
      seedClient.destroy();
      await database.stop();
    }
  },
};

/** Expenses merged into another category by one DELETE /api/categories/{id}?moveTo= (the example size). */
const MERGED = 10_000;

/**
 * A merge of MERGED expenses spread over twelve months: how long one request takes against
 * DynamoDB Local, in how many transactions, at what capacity.
 */
async function measureMerge(seedClient: DynamoDBClient, seedRepository: DynamoDbLedgerRepository, meter: CapacityMeter, container: ReturnType<typeof createContainer>): Promise<void> {
  const user = 'bench-merge';
  const { id: from } = await container.get(CreateCategory).execute(user, { name: 'Old category' });
  const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
  const base = Date.parse('2025-01-01T00:00:00Z');
  const expenses: Expense[] = Array.from({ length: MERGED }, (_, i) => {
    const at = new Date(base + i * 1000).toISOString();
    return { id: randomUUID(), ...details(i), category: from, date: `${months[i % 12]}-${String(1 + (i % 28)).padStart(2, '0')}`, createdAt: at, updatedAt: at };
  });
  await batchWrite(seedClient, expenses.map((e) => expenseToItem(user, e)));
  for (const month of months) {
    const inMonth = expenses.filter((e) => e.date.startsWith(month));
    await seedRepository.commit(user, { months: [{ totals: { ...totalsOf(inMonth), month }, expectedVersion: 0 }], newAlerts: [] });
  }
  const byCommand = new Map<string, { count: number; ms: number }>();
  const client = container.get<DynamoDBClient>(DYNAMODB_TOKENS.Client);
  client.middlewareStack.add((next, context) => async (args) => {
    const started = performance.now();
    try {
      return await next(args);
    } finally {
      const entry = byCommand.get(context.commandName ?? '') ?? { count: 0, ms: 0 };
      byCommand.set(context.commandName ?? '', { count: entry.count + 1, ms: entry.ms + performance.now() - started });
    }
  }, { step: 'initialize', name: 'transactionCounter' });
  meter.reset();
  const started = performance.now();
  // As the page does: repeat the request while the server answers 202 (it stops between batches after 20 s).
  let moved = 0;
  let httpRequests = 0;
  for (let remaining: number | undefined = -1; remaining !== undefined; httpRequests++) {
    const answer = await container.get(DeleteCategory).execute(user, from, 'Other');
    moved += answer.moved;
    remaining = answer.remaining;
  }
  const seconds = (performance.now() - started) / 1000;
  client.middlewareStack.remove('transactionCounter');
  const summary = await container.get(GetMonthSummary).execute(user, months[0]!);
  const transactions = byCommand.get('TransactWriteItemsCommand')?.count ?? 0;
  console.log(`Merge of ${MERGED.toLocaleString('en-US')} expenses over 12 months (DELETE ?moveTo): moved ${moved.toLocaleString('en-US')} in ${seconds.toFixed(1)} s over ${httpRequests} API requests, `
    + `${transactions} transactions, ${fmt(meter.rcu)} RCU, ${fmt(meter.wcu)} WCU, ${meter.requests} requests; January now ${JSON.stringify(Object.keys(summary.byCategory))}`);
  console.log(`  time by DynamoDB command: ${[...byCommand].map(([name, { count, ms }]) => `${name.replace('Command', '')} ${count}x ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
