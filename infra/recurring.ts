import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { LambdaFunction, scheduleLambda } from './lambda-function.js';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';

/** How often the recurring expenses due are made: an occurrence lands at most this long after its day begins. */
export const RECURRING_EVERY_MINUTES = 15;
/** A run takes page after page of due recurrences until this runs out; the next run carries on. */
export const RECURRING_TIMEOUT_SECONDS = 300;

export interface RecurringRunsArgs {
  table: aws.dynamodb.Table;
  alertTopic: aws.sns.Topic;
  logRetentionDays: number;
}

/**
 * The scheduled Lambda that makes recurring expenses' occurrences: an EventBridge rule every 15
 * minutes; the function finds what is due through the due-work index (never a Scan) and writes each
 * occurrence through the normal write path, delivering the alerts it raises.
 */
export class RecurringRuns extends pulumi.ComponentResource {
  readonly handler: LambdaFunction;
  readonly schedule: aws.cloudwatch.EventRule;

  constructor(name: string, args: RecurringRunsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:recurring:RecurringRuns', name, {}, opts);
    this.handler = new LambdaFunction('recurring', {
      codeDir: 'dist/lambda/recurring',
      description: 'Makes the occurrences of recurring expenses that are due',
      memorySize: 256,
      timeout: RECURRING_TIMEOUT_SECONDS,
      logRetentionDays: args.logRetentionDays,
      environment: { TABLE_NAME: args.table.name, ALERT_TOPIC_ARN: args.alertTopic.arn },
      statements: [
        {
          // Each occurrence is a transaction of Puts (expense, recurrence, alert items) and Updates
          // (month, budget, alert delivery); reads are GetItem and the recurrences' Query.
          Sid: 'ReadWriteExpensesTable',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          Resource: [args.table.arn],
        },
        {
          Sid: 'QueryDueRecurrences',
          Effect: 'Allow',
          Action: ['dynamodb:Query'],
          Resource: [pulumi.interpolate`${args.table.arn}/index/${expensesTable.pendingAlertsIndex.name}`],
        },
        { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [args.alertTopic.arn] },
      ],
    }, this);

    this.schedule = scheduleLambda('recurring-run', this.handler, `rate(${RECURRING_EVERY_MINUTES} minutes)`, 'Makes the recurring expenses that are due', this);
    this.registerOutputs({});
  }
}
