import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { LambdaFunction, scheduleLambda } from './lambda-function.js';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';

export interface AlertDeliveryArgs {
  table: aws.dynamodb.Table;
  alertTopic: aws.sns.Topic;
  logRetentionDays: number;
}

/**
 * Only new or changed alert items still waiting for delivery invoke the function: sort key
 * `#ALERT#...` and `delivery` = "pending" in the new image. Removals carry no NewImage and never match.
 */
export const ALERT_STREAM_FILTER = {
  dynamodb: {
    Keys: { [expensesTable.sortKey.name]: { S: [{ prefix: '#ALERT#' }] } },
    NewImage: { delivery: { S: ['pending'] } },
  },
};

/** How often the retry pass looks for alerts whose next delivery attempt is due (the first retry waits 30 s). */
export const RETRY_EVERY_MINUTES = 5;

/**
 * Room for the retry pass to work through a batch and still finish the item in hand at its SDK
 * deadlines (see test/infra/lambda.test.ts). At most the delivery lease (60 s), so a claim never
 * lapses while its function still runs.
 */
export const ALERT_DELIVERY_TIMEOUT_SECONDS = 60;

/**
 * Alert delivery: the table's stream, filtered to pending alert items, invokes a Lambda that publishes
 * the email through the alert topic. Records that still fail after bounded retries (or grow too old)
 * are described in an SQS dead-letter queue.
 */
export class AlertDelivery extends pulumi.ComponentResource {
  readonly handler: LambdaFunction;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly eventSourceMapping: aws.lambda.EventSourceMapping;
  readonly retrySchedule: aws.cloudwatch.EventRule;

  constructor(name: string, args: AlertDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:alerts:AlertDelivery', name, {}, opts);

    this.deadLetterQueue = new aws.sqs.Queue('alert-delivery-dlq', {
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    }, { parent: this });

    this.handler = new LambdaFunction('alert-delivery', {
      codeDir: 'dist/lambda/alert-delivery',
      description: 'Sends budget alert emails for new alert items on the table stream',
      memorySize: 256,
      timeout: ALERT_DELIVERY_TIMEOUT_SECONDS,
      logRetentionDays: args.logRetentionDays,
      environment: {
        TABLE_NAME: args.table.name,
        ALERT_TOPIC_ARN: args.alertTopic.arn,
      },
      statements: [
        {
          // PutItem: alert items that a crashed request left only on the month item are written here.
          Sid: 'ReadWriteExpensesTable',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
          Resource: [args.table.arn],
        },
        {
          Sid: 'QueryDueAlerts',
          Effect: 'Allow',
          Action: ['dynamodb:Query'],
          Resource: [pulumi.interpolate`${args.table.arn}/index/${expensesTable.pendingAlertsIndex.name}`],
        },
        { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [args.alertTopic.arn] },
        {
          // The retry pass retries failed unsubscribes. Authorised on the subscription's topic, with
          // no protocol or endpoint condition available.
          Sid: 'UnsubscribeFromAlertTopic',
          Effect: 'Allow',
          Action: ['sns:Unsubscribe'],
          Resource: [args.alertTopic.arn],
        },
        {
          Sid: 'ReadTableStream',
          Effect: 'Allow',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: [args.table.streamArn],
        },
        {
          // ListStreams has no resource-level permissions (it lists the streams of the whole account and
          // region; the service authorization reference gives it no resource type), so "*" is the only
          // resource that can grant it. It reveals stream ARNs, never data. This is the program's only
          // "*" resource.
          Sid: 'ListStreams',
          Effect: 'Allow',
          Action: ['dynamodb:ListStreams'],
          Resource: ['*'],
        },
        {
          Sid: 'SendFailedBatchesToDeadLetterQueue',
          Effect: 'Allow',
          Action: ['sqs:SendMessage'],
          Resource: [this.deadLetterQueue.arn],
        },
      ],
    }, this);

    this.eventSourceMapping = new aws.lambda.EventSourceMapping('alert-stream', {
      eventSourceArn: args.table.streamArn,
      functionName: this.handler.fn.arn,
      startingPosition: 'LATEST',
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeInSeconds: 3600,
      functionResponseTypes: ['ReportBatchItemFailures'],
      filterCriteria: { filters: [{ pattern: JSON.stringify(ALERT_STREAM_FILTER) }] },
      destinationConfig: { onFailure: { destinationArn: this.deadLetterQueue.arn } },
    }, { parent: this, dependsOn: [this.handler.policy] });

    // The retry pass: alerts whose delivery failed are tried again, with backoff, when due.
    this.retrySchedule = scheduleLambda('alert-retry', this.handler, `rate(${RETRY_EVERY_MINUTES} minutes)`, 'Retries alert emails whose next delivery attempt is due', this);

    this.registerOutputs({ deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
