import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { ExpenseExportPage, ExpenseExportReader } from '../../application/ports.js';
import type { Expense } from '../../domain/expense.js';
import { decodeCursor, encodeCursor, expenseIdOfListKey, listKey } from '../expense-listing.js';
import { callDynamoDb } from './dynamodb-calls.js';
import { DYNAMODB_TOKENS } from './dynamodb-ledger-repository.js';
import { expensesTable } from './expenses-table.js';
import { expenseFromItem, PK, s, SK, type Item } from './ledger-items.js';

/**
 * Export pages from the by_date index: one key-range Query over the months asked for, oldest
 * first, reading only the user's expenses in that range (eventually consistent, as a listing is).
 */
@injectable()
export class DynamoDbExpenseExport implements ExpenseExportReader {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async readPage(userId: string, range: { from: string; to: string }, limit: number, cursor?: string): Promise<ExpenseExportPage> {
    const after = cursor === undefined ? null : decodeCursor(cursor, range.from, range.to);
    const expenses: Expense[] = [];
    let startKey: Item | undefined = after === null ? undefined : { [PK]: s(userId), [SK]: s(expenseIdOfListKey(after)), list_key: s(after) };
    // One more than the page, to know whether another page follows.
    do {
      const page = await callDynamoDb(() => this.client.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: expensesTable.byDateIndex.name,
        // List keys start with the date: every key of the range sorts between "from" and "to" followed by "-~".
        KeyConditionExpression: '#pk = :user AND list_key BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#pk': PK },
        ExpressionAttributeValues: { ':user': s(userId), ':from': s(range.from), ':to': s(`${range.to}-~`) },
        ScanIndexForward: true,
        Limit: limit + 1 - expenses.length,
        ExclusiveStartKey: startKey,
      })));
      expenses.push(...(page.Items ?? []).map(expenseFromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey && expenses.length <= limit);
    const items = expenses.slice(0, limit);
    return { expenses: items, nextCursor: expenses.length > limit ? encodeCursor(listKey(items[items.length - 1]!)) : null };
  }
}
