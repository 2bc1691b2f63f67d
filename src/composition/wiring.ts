import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { Container, type Newable } from 'inversify';
import { CategoryWriter } from '../application/category-write.js';
import { UserWriteQueue } from '../application/ledger-write.js';
import { MonthWriter } from '../application/month-writes.js';
import { TOKENS, type Logger } from '../application/ports.js';
import { RecurrenceWriter } from '../application/recurrence-write.js';
import { AddExpense } from '../application/use-cases/add-expense.js';
import { CreateCategory } from '../application/use-cases/create-category.js';
import { DeleteCategory } from '../application/use-cases/delete-category.js';
import { DeleteExpense } from '../application/use-cases/delete-expense.js';
import { DeliverAlerts } from '../application/use-cases/deliver-alerts.js';
import { ExportExpenses } from '../application/use-cases/export-expenses.js';
import { GetBudget } from '../application/use-cases/get-budget.js';
import { GetCategoryUsage } from '../application/use-cases/get-category-usage.js';
import { GetExpense } from '../application/use-cases/get-expense.js';
import { GetMonthSummary } from '../application/use-cases/get-month-summary.js';
import { GetTrends } from '../application/use-cases/get-trends.js';
import { ListAlerts } from '../application/use-cases/list-alerts.js';
import { ListCategories } from '../application/use-cases/list-categories.js';
import { ListExpenses } from '../application/use-cases/list-expenses.js';
import { CreateRecurrence, DeleteRecurrence, GetRecurrence, ListRecurrences, SkipRecurrence, UpdateRecurrence } from '../application/use-cases/recurrences.js';
import { ResendAlertEmailConfirmation } from '../application/use-cases/resend-alert-email-confirmation.js';
import { RunDueRecurrences, RunRecurrence } from '../application/use-cases/run-recurrences.js';
import { SetBudget } from '../application/use-cases/set-budget.js';
import { UnsubscribeStaleAddresses } from '../application/use-cases/unsubscribe-stale-addresses.js';
import { UpdateCategory } from '../application/use-cases/update-category.js';
import { UpdateExpense } from '../application/use-cases/update-expense.js';
import { UnsubscribeMonthlyReport } from '../application/use-cases/monthly-reports.js';
import { DEFAULT_WRITE_RATE_LIMIT, type WriteRateLimit } from '../domain/write-rate.js';
import { bindReportLinks } from './report-links.js';
import type { ReportConfig } from './reports.js';
import { DynamoDbCategoryRepository } from '../adapters/dynamodb/dynamodb-category-repository.js';
import { DynamoDbExpenseExport } from '../adapters/dynamodb/dynamodb-expense-export.js';
import { DYNAMODB_TOKENS, DynamoDbLedgerRepository } from '../adapters/dynamodb/dynamodb-ledger-repository.js';
import { DynamoDbRecurrenceRepository } from '../adapters/dynamodb/dynamodb-recurrence-repository.js';
import type { CoreDependencies } from '../adapters/http/api-handler.js';
import { ConsoleLogger } from '../adapters/log/console-logger.js';
import { LogNotifier } from '../adapters/log/log-notifier.js';
import { InMemoryNotifier } from '../adapters/memory/memory-notifier.js';
import { SNS_TOKENS, SnsNotifier } from '../adapters/sns/sns-notifier.js';
import { DYNAMODB_DEADLINE, LOCAL_DYNAMODB_DEADLINE, requestHandlerOptions, SNS_DEADLINE } from '../adapters/sdk-deadlines.js';

/**
 * The composition root's parts every deployment needs: configuration, the clock, logger and
 * notifier, the DynamoDB adapters and the core use cases. The Lambdas are built from these alone
 * (plus the imports' part for the imports Lambda), so no bundle carries the in-memory adapters or
 * what another function does; `src/composition-root.ts` puts everything together for `npm start`
 * and the tests.
 */

export interface RuntimeConfig {
  /** 'memory' keeps everything in process memory (tests, `STORAGE=memory npm start`). */
  storage: 'dynamodb' | 'memory';
  tableName: string;
  region: string;
  /** DynamoDB Local's URL; unset on AWS. */
  dynamoDbEndpoint?: string;
  /** 'sns' on AWS; 'log' locally (also publishing to SNS when a topic is set); 'memory' in tests. */
  notifier: 'sns' | 'log' | 'memory';
  alertTopicArn?: string;
  snsEndpoint?: string;
  allowedOrigins: string[];
  /** Per-user write rate; DEFAULT_WRITE_RATE_LIMIT unless set (suites that write in bulk at one instant raise it). */
  writeRateLimit?: WriteRateLimit;
  /** Monthly reports: SES and SQS on AWS, the SES emulator locally; in memory and in process when unset (tests). */
  reports?: ReportConfig;
}

/** Configuration of a Lambda function, from the environment the Pulumi program sets. */
export function lambdaConfig(env: NodeJS.ProcessEnv): RuntimeConfig {
  return {
    storage: 'dynamodb',
    tableName: required(env, 'TABLE_NAME'),
    region: env.AWS_REGION ?? 'us-east-1',
    notifier: 'sns',
    alertTopicArn: required(env, 'ALERT_TOPIC_ARN'),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    // The API (unsubscribe links) and the report Lambdas get these; the others do not need them.
    ...(env.REPORT_TOKEN_SECRET ? { reports: {
      enabled: Boolean(env.REPORT_FROM), mailer: 'ses', from: env.REPORT_FROM ?? '', ...(env.REPORT_CONFIGURATION_SET ? { configurationSet: env.REPORT_CONFIGURATION_SET } : {}),
      queue: 'sqs', ...(env.REPORT_QUEUE_URL ? { queueUrl: env.REPORT_QUEUE_URL } : {}),
      linkBase: required(env, 'REPORT_LINK_BASE'), tokenSecret: env.REPORT_TOKEN_SECRET,
    } as const } : {}),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is required`);
  return value;
}

/** A container with the clock, the logger, the write rate and the notifier bound. */
export function baseContainer(config: RuntimeConfig): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.Clock).toConstantValue({ now: () => new Date() });
  container.bind(TOKENS.Logger).to(ConsoleLogger);
  container.bind(TOKENS.WriteRateLimit).toConstantValue(config.writeRateLimit ?? DEFAULT_WRITE_RATE_LIMIT);
  const publishesToSns = Boolean(config.alertTopicArn) && (config.notifier === 'sns' || Boolean(config.snsEndpoint));
  if (publishesToSns) {
    container.bind(SNS_TOKENS.Client).toConstantValue(new SNSClient({
      region: config.region,
      maxAttempts: SNS_DEADLINE.maxAttempts,
      requestHandler: requestHandlerOptions(SNS_DEADLINE),
      ...(config.snsEndpoint ? { endpoint: config.snsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }));
    container.bind(SNS_TOKENS.TopicArn).toConstantValue(config.alertTopicArn);
    container.bind(SnsNotifier).toSelf();
  }
  if (config.notifier === 'memory') {
    container.bind(TOKENS.Notifier).to(InMemoryNotifier);
  } else if (config.notifier === 'sns') {
    container.bind(TOKENS.Notifier).toService(SnsNotifier);
  } else {
    container.bind(TOKENS.Notifier).toResolvedValue(
      (logger: Logger) => new LogNotifier(logger, publishesToSns ? container.get(SnsNotifier) : null),
      [TOKENS.Logger],
    );
  }

  return container;
}

/** The DynamoDB adapters of every port but the imports'. */
export function bindDynamoDb(container: Container, config: RuntimeConfig): void {
  const dynamoDbDeadline = config.dynamoDbEndpoint ? LOCAL_DYNAMODB_DEADLINE : DYNAMODB_DEADLINE;
  container.bind(DYNAMODB_TOKENS.Client).toConstantValue(new DynamoDBClient({
    region: config.region,
    // Throttling, 5xx and timeouts are retried by the SDK with capped, jittered exponential
    // backoff; a request that hangs is cut off (see sdk-deadlines.ts for the budget).
    maxAttempts: dynamoDbDeadline.maxAttempts,
    requestHandler: requestHandlerOptions(dynamoDbDeadline),
    ...(config.dynamoDbEndpoint
      ? { endpoint: config.dynamoDbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  }));
  container.bind(DYNAMODB_TOKENS.TableName).toConstantValue(config.tableName);
  container.bind(TOKENS.LedgerRepository).to(DynamoDbLedgerRepository);
  container.bind(TOKENS.CategoryRepository).to(DynamoDbCategoryRepository);
  container.bind(TOKENS.ExpenseExportReader).to(DynamoDbExpenseExport);
  container.bind(TOKENS.RecurrenceRepository).to(DynamoDbRecurrenceRepository);
}

const CORE_USE_CASES: Newable<object>[] = [
  UserWriteQueue, MonthWriter, AddExpense, UpdateExpense, DeleteExpense, GetExpense, ListExpenses, GetMonthSummary, GetTrends, GetBudget, SetBudget,
  ResendAlertEmailConfirmation, ListAlerts, DeliverAlerts, UnsubscribeStaleAddresses,
  CategoryWriter, ListCategories, CreateCategory, UpdateCategory, DeleteCategory, GetCategoryUsage, ExportExpenses,
  RecurrenceWriter, RunRecurrence, RunDueRecurrences, CreateRecurrence, UpdateRecurrence, DeleteRecurrence, SkipRecurrence, ListRecurrences, GetRecurrence,
];

export function bindCoreUseCases(container: Container): void {
  for (const useCase of CORE_USE_CASES) container.bind(useCase).toSelf();
}

/** A Lambda's container: DynamoDB adapters and the core use cases. */
export function lambdaContainer(config: RuntimeConfig): Container {
  const container = baseContainer(config);
  bindDynamoDb(container, config);
  bindCoreUseCases(container);
  if (config.reports) bindReportLinks(container, config.reports);
  return container;
}

/** What the API's routes (all but the imports') call. */
export function coreDependencies(container: Container, allowedOrigins: string[]): CoreDependencies {
  return {
    addExpense: container.get(AddExpense),
    updateExpense: container.get(UpdateExpense),
    deleteExpense: container.get(DeleteExpense),
    getExpense: container.get(GetExpense),
    listExpenses: container.get(ListExpenses),
    getMonthSummary: container.get(GetMonthSummary),
    getTrends: container.get(GetTrends),
    getBudget: container.get(GetBudget),
    setBudget: container.get(SetBudget),
    resendAlertEmailConfirmation: container.get(ResendAlertEmailConfirmation),
    listAlerts: container.get(ListAlerts),
    listCategories: container.get(ListCategories),
    createCategory: container.get(CreateCategory),
    updateCategory: container.get(UpdateCategory),
    deleteCategory: container.get(DeleteCategory),
    getCategoryUsage: container.get(GetCategoryUsage),
    exportExpenses: container.get(ExportExpenses),
    createRecurrence: container.get(CreateRecurrence),
    updateRecurrence: container.get(UpdateRecurrence),
    deleteRecurrence: container.get(DeleteRecurrence),
    skipRecurrence: container.get(SkipRecurrence),
    listRecurrences: container.get(ListRecurrences),
    getRecurrence: container.get(GetRecurrence),
    unsubscribeMonthlyReport: container.get(UnsubscribeMonthlyReport),
    logger: container.get(TOKENS.Logger),
    allowedOrigins,
  };
}
