import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';

export interface DataArgs {
  deletionProtection: boolean;
}

/**
 * The state of the product: the Expenses table (built from the backend's single definition, with a
 * stream that feeds alert delivery) and the SNS topic that alert emails go out through.
 */
export class Data extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly alertTopic: aws.sns.Topic;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:data:Data', name, {}, opts);
    const t = expensesTable;
    const attributeTypes = new Map<string, string>([
      [t.partitionKey.name, t.partitionKey.type],
      [t.sortKey.name, t.sortKey.type],
      [t.byDateIndex.partitionKey.name, t.byDateIndex.partitionKey.type],
      [t.byDateIndex.sortKey.name, t.byDateIndex.sortKey.type],
      [t.pendingAlertsIndex.partitionKey.name, t.pendingAlertsIndex.partitionKey.type],
      [t.pendingAlertsIndex.sortKey.name, t.pendingAlertsIndex.sortKey.type],
    ]);

    // No explicit name: Pulumi names the table and the runtime receives it through TABLE_NAME.
    this.table = new aws.dynamodb.Table('expenses', {
      billingMode: 'PAY_PER_REQUEST',
      hashKey: t.partitionKey.name,
      rangeKey: t.sortKey.name,
      attributes: [...attributeTypes].map(([name, type]) => ({ name, type })),
      globalSecondaryIndexes: [t.byDateIndex, t.pendingAlertsIndex].map((index) => ({
        name: index.name,
        keySchemas: [
          { attributeName: index.partitionKey.name, keyType: 'HASH' },
          { attributeName: index.sortKey.name, keyType: 'RANGE' },
        ],
        projectionType: index.projection,
      })),
      ttl: { attributeName: t.ttlAttribute, enabled: true },
      streamEnabled: true,
      streamViewType: t.streamViewType,
      pointInTimeRecovery: { enabled: true },
      // A KMS key (the AWS managed aws/dynamodb key) instead of the default AWS owned key.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: args.deletionProtection,
    }, { parent: this });

    // Encrypted with the AWS managed SNS key. Its key policy already lets principals of this account
    // use it through SNS, so the Lambda roles need no KMS statement. Per-user email subscriptions
    // (with a `userId` filter policy) are created at run time by the API.
    this.alertTopic = new aws.sns.Topic('alerts', {
      kmsMasterKeyId: 'alias/aws/sns',
    }, { parent: this });

    this.registerOutputs({ tableName: this.table.name, alertTopicArn: this.alertTopic.arn });
  }
}
