import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { LambdaFunction, scheduleLambda } from './lambda-function.js';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';

/** The due pass runs hourly: each user's report goes out within the hour after 08:00 on the 1st, in their zone. */
const REPORT_SCHEDULE = 'rate(1 hour)';
const REPORT_SCHEDULER_TIMEOUT_SECONDS = 300;
const REPORT_SENDER_TIMEOUT_SECONDS = 60;
/** A sender sends one report after another; each takes a few DynamoDB reads and one SES call, about 10 a second. */
const REPORTS_PER_SENDER_PER_SECOND = 10;
/** Receives before a message goes to the dead-letter queue (the next due pass queues the user again anyway). */
const REPORT_MAX_RECEIVES = 5;

export interface MonthlyReportsArgs {
  table: aws.dynamodb.Table;
  alertTopic: aws.sns.Topic;
  /** The verified sending address (or an address of a verified domain) the reports come from. */
  sender: string;
  /** The SES account's sending rate (emails per second): the senders' concurrency is sized to stay under it. */
  sendRate: number;
  /** Signs the unsubscribe links (the API checks them with the same secret). */
  tokenSecret: pulumi.Input<string>;
  /** The API's public URL, which the links point to. */
  linkBase: pulumi.Input<string>;
  logRetentionDays: number;
}

/**
 * The monthly report: an SES identity and configuration set, an hourly due pass (a Lambda paging
 * the due-work index's `reports#*` partitions, never a Scan) that queues due users on SQS, and a
 * sender Lambda on that queue whose reserved concurrency keeps the sending within SES's rate; a
 * dead-letter queue behind it. Why SQS rather than a Step Functions distributed map: the work is
 * one small independent message per user, arriving once a month; a queue with a concurrency-capped
 * consumer paces it to SES's rate by itself, retries each message on its own, costs nothing while
 * idle and needs no state machine to run or inspect (see the README).
 */
export class MonthlyReports extends pulumi.ComponentResource {
  readonly identity: aws.sesv2.EmailIdentity;
  readonly configurationSet: aws.sesv2.ConfigurationSet;
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly scheduler: LambdaFunction;
  readonly sender: LambdaFunction;

  constructor(name: string, args: MonthlyReportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:reports:MonthlyReports', name, {}, opts);
    const parent = { parent: this };

    // An address gets a verification email from AWS; a domain needs the DNS records SES lists (docs/deploy.md).
    this.identity = new aws.sesv2.EmailIdentity('report-sender', { emailIdentity: args.sender }, parent);
    this.configurationSet = new aws.sesv2.ConfigurationSet('reports', {
      configurationSetName: `${pulumi.getProject()}-${pulumi.getStack()}-reports`,
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      // Addresses that bounce or complain are not sent to again (SES's account-level list).
      suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    }, parent);

    this.deadLetterQueue = new aws.sqs.Queue('report-dlq', {
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    }, parent);
    this.queue = new aws.sqs.Queue('report-queue', {
      // Six times the sender's timeout, as AWS advises for a Lambda event source.
      visibilityTimeoutSeconds: 6 * REPORT_SENDER_TIMEOUT_SECONDS,
      messageRetentionSeconds: 4 * 24 * 3600,
      sqsManagedSseEnabled: true,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: REPORT_MAX_RECEIVES }),
    }, parent);

    const table = args.table.arn;
    const dueIndex = pulumi.interpolate`${args.table.arn}/index/${expensesTable.pendingAlertsIndex.name}`;
    const environment = {
      TABLE_NAME: args.table.name,
      REPORT_FROM: args.sender,
      REPORT_CONFIGURATION_SET: this.configurationSet.configurationSetName,
      REPORT_QUEUE_URL: this.queue.url,
      REPORT_TOKEN_SECRET: args.tokenSecret,
      REPORT_LINK_BASE: args.linkBase,
      // The core wiring reads it; the report Lambdas publish nothing (and may not: no sns:Publish).
      ALERT_TOPIC_ARN: args.alertTopic.arn,
    };

    this.scheduler = new LambdaFunction('report-scheduler', {
      codeDir: 'dist/lambda/report-scheduler',
      description: 'Queues the users whose monthly report is due',
      memorySize: 256,
      timeout: REPORT_SCHEDULER_TIMEOUT_SECONDS,
      logRetentionDays: args.logRetentionDays,
      environment,
      statements: [
        { Sid: 'QueryDueReports', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [dueIndex] },
        // Holding a due user: a conditional update of their schedule item.
        { Sid: 'HoldDueReports', Effect: 'Allow', Action: ['dynamodb:UpdateItem'], Resource: [table] },
        { Sid: 'QueueDueReports', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [this.queue.arn] },
      ],
    }, this);
    scheduleLambda('report-due', this.scheduler, REPORT_SCHEDULE, 'Queues the monthly reports that are due', this);

    // SES's rate caps the senders, never less than the 2 an SQS event source needs.
    const senderConcurrency = Math.max(2, Math.floor(args.sendRate / REPORTS_PER_SENDER_PER_SECOND));
    this.sender = new LambdaFunction('report-sender', {
      codeDir: 'dist/lambda/report-sender',
      description: 'Sends the monthly report of each queued user, once',
      memorySize: 256,
      timeout: REPORT_SENDER_TIMEOUT_SECONDS,
      reservedConcurrentExecutions: senderConcurrency,
      logRetentionDays: args.logRetentionDays,
      environment,
      statements: [
        {
          // The month, its expenses (by_date index), alerts, categories, recurring expenses; the
          // report's record and the schedule are conditional updates.
          Sid: 'ReadLedgerWriteReports',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: [table, pulumi.interpolate`${args.table.arn}/index/${expensesTable.byDateIndex.name}`],
        },
        {
          Sid: 'SendReportEmail',
          Effect: 'Allow',
          Action: ['ses:SendEmail'],
          Resource: [this.identity.arn, this.configurationSet.arn],
        },
        {
          Sid: 'ConsumeReportQueue',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
          Resource: [this.queue.arn],
        },
      ],
    }, this);
    new aws.lambda.EventSourceMapping('report-queue-sender', {
      eventSourceArn: this.queue.arn,
      functionName: this.sender.fn.arn,
      batchSize: 10,
      functionResponseTypes: ['ReportBatchItemFailures'],
      scalingConfig: { maximumConcurrency: senderConcurrency },
    }, { parent: this, dependsOn: [this.sender.policy] });

    this.registerOutputs({});
  }
}
