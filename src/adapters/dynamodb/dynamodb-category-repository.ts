import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject, injectable } from 'inversify';
import type { CategoryRepository, VersionedCategories } from '../../application/ports.js';
import { getItem, transact } from './dynamodb-calls.js';
import { DYNAMODB_TOKENS } from './dynamodb-ledger-repository.js';
import { budgetTransactItem, categoriesFromItem, categoriesToItem, CATEGORIES_KEY, n, SK } from './ledger-items.js';

/**
 * A user's categories as one item (`#CATEGORIES`) of the Expenses table. Reading it is one small
 * strongly consistent GetItem; saving writes it and the budget (which holds the active ids every
 * expense write checks) in one transaction, each conditional on the version that was read.
 */
@injectable()
export class DynamoDbCategoryRepository implements CategoryRepository {
  constructor(
    @inject(DYNAMODB_TOKENS.Client) private readonly client: DynamoDBClient,
    @inject(DYNAMODB_TOKENS.TableName) private readonly tableName: string,
  ) {}

  async getCategories(userId: string): Promise<VersionedCategories> {
    return categoriesFromItem(await getItem(this.client, this.tableName, userId, CATEGORIES_KEY));
  }

  async saveCategories(userId: string, change: Parameters<CategoryRepository['saveCategories']>[1]): Promise<void> {
    const condition = change.expectedVersion === 0
      ? { ConditionExpression: 'attribute_not_exists(#sk)', ExpressionAttributeNames: { '#sk': SK } }
      : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': n(change.expectedVersion) } };
    await transact(this.client, [
      { Put: { TableName: this.tableName, Item: categoriesToItem(userId, change.categories, change.expectedVersion + 1), ...condition } },
      budgetTransactItem(this.tableName, userId, change.budget.record, change.budget.expectedVersion),
    ]);
  }
}
