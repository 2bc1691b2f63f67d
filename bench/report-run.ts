// The monthly report run, simulated locally at 10,000 opted-in users on the pieces AWS runs:
// DynamoDB Local (the due-work index, the report records), fauxqs as SQS (the queue), and
// aws-ses-v2-local as SES v2 (what is "sent"). The due pass queues everyone due; sender workers,
// as many as the reserved concurrency would allow, receive, send and delete; then duplicate
// messages and a second pass check that nobody gets a second report.
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import { TOKENS } from '../src/application/ports.js';
import { AddExpense } from '../src/application/use-cases/add-expense.js';
import { QueueDueReports, SendMonthlyReport } from '../src/application/use-cases/monthly-reports.js';
import { SetBudget } from '../src/application/use-cases/set-budget.js';
import { ensureExpensesTable } from '../src/adapters/dynamodb/create-table.js';
import { DYNAMODB_TOKENS } from '../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { createContainer } from '../src/composition-root.js';
import { startDynamoDbLocal } from '../src/entrypoints/local/dynamodb-local.js';
import { startSesLocal } from '../src/entrypoints/local/ses-local.js';
import { BENCH_WRITES, type Benchmark } from './benchmark.js';
import { CapacityMeter, meteredClient } from './cost-per-operation.js';

const USERS = 10_000;
const TABLE = 'Expenses';
/** Sender workers, as the sender Lambda's reserved concurrency: 2 for SES's usual 14 emails/s, 8 to see how it scales here. */
const WORKER_COUNTS = [2, 8];
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export const reportRunBenchmark: Benchmark = {
  name: 'reports',
  title: `Monthly report run for ${USERS.toLocaleString('en-US')} users (DynamoDB Local, fauxqs SQS, aws-ses-v2-local SES)`,
  async run() {
    const database = await startDynamoDbLocal();
    const fauxqs = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1' });
    const ses = await startSesLocal();
    const sqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
    const sqs = new SQSClient({ endpoint: sqsEndpoint, region: 'us-east-1', credentials });
    const meter = new CapacityMeter();
    const metered = meteredClient(database.endpoint, meter);
    try {
      const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'report-queue', Attributes: { VisibilityTimeout: '360' } }))).QueueUrl!;
      const container = createContainer({
        storage: 'dynamodb', tableName: TABLE, region: 'us-east-1', dynamoDbEndpoint: database.endpoint, notifier: 'memory', allowedOrigins: [],
        writeRateLimit: BENCH_WRITES,
        reports: {
          enabled: true, mailer: 'ses', sesEndpoint: ses.endpoint, from: 'reports@example.com', queue: 'sqs', queueUrl, sqsEndpoint,
          linkBase: 'https://api.example.com', tokenSecret: 'bench secret',
        },
      });
      container.get<{ destroy(): void }>(DYNAMODB_TOKENS.Client).destroy();
      container.rebind(DYNAMODB_TOKENS.Client).toConstantValue(metered);
      container.rebind(TOKENS.Logger).toConstantValue({ info: () => undefined, error: (message: string) => console.log(`  error: ${message}`) });
      const clock = { current: new Date('2026-11-10T09:00:00Z') };
      container.rebind(TOKENS.Clock).toConstantValue({ now: () => new Date(clock.current) });
      await ensureExpensesTable(metered, TABLE);

      // Opted-in users in three time zones; one in ten with a few expenses in November.
      const users = Array.from({ length: USERS }, (_, i) => `report-user-${i}`);
      const zones = ['UTC', 'Europe/Berlin', 'America/New_York'];
      let started = performance.now();
      await inParallel(users, 32, async (user) => {
        const i = Number(user.slice(12));
        await container.get(SetBudget).execute(user, {
          currency: 'USD', monthlyLimit: 200_000, categoryLimits: {}, thresholds: [80, 100], alertEmail: `${user}@example.com`,
          timeZone: zones[i % 3]!, rollover: [], forecastThresholds: [], monthlyReport: true,
        });
        if (i % 10 === 0) {
          for (let d = 1; d <= 3; d++) await container.get(AddExpense).execute(user, { amount: 10 + d, category: 'Food', date: `2026-11-0${d}`, description: 'groceries' });
        }
      });
      console.log(`Seeded ${USERS.toLocaleString('en-US')} opted-in users in ${((performance.now() - started) / 1000).toFixed(1)} s`);

      // 1 December, 14:00 UTC: 08:00 has passed in all three zones.
      clock.current = new Date('2026-12-01T14:00:00Z');
      meter.reset();
      started = performance.now();
      const { queued } = await container.get(QueueDueReports).execute();
      const passSeconds = (performance.now() - started) / 1000;
      console.log(`Due pass: ${queued.toLocaleString('en-US')} users held and queued in ${passSeconds.toFixed(1)} s `
        + `(${Math.round(queued / passSeconds)} users/s): ${meter.rcu.toFixed(0)} RCU, ${meter.wcu.toFixed(0)} WCU, ${meter.requests} DynamoDB requests (index queries and holds)`);

      const send = container.get(SendMonthlyReport);
      const drain = async (workers: number, limit: number): Promise<{ sent: number; seconds: number }> => {
        let sent = 0;
        const began = performance.now();
        await Promise.all(Array.from({ length: workers }, async () => {
          while (sent < limit) {
            const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
            if (Messages.length === 0) return;
            for (const message of Messages) {
              if (await send.execute((JSON.parse(message.Body!) as { userId: string }).userId) === 'sent') sent += 1;
            }
            await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
          }
        }));
        return { sent, seconds: (performance.now() - began) / 1000 };
      };
      let total = 0;
      for (const [index, workers] of WORKER_COUNTS.entries()) {
        meter.reset();
        // The first worker count takes half the queue; the last drains the rest.
        const { sent, seconds } = await drain(workers, index === WORKER_COUNTS.length - 1 ? Infinity : USERS / 2);
        total += sent;
        console.log(`Senders x${workers}: ${sent.toLocaleString('en-US')} reports in ${seconds.toFixed(1)} s = ${(sent / seconds).toFixed(0)} reports/s `
          + `(${(sent / seconds / workers).toFixed(1)} per sender); per report ${(meter.rcu / sent).toFixed(2)} RCU, ${(meter.wcu / sent).toFixed(2)} WCU, ${(meter.requests / sent).toFixed(1)} DynamoDB requests`);
      }

      // Duplicates: 500 users queued again by hand, and a second due pass: nothing more is sent.
      for (let i = 0; i < 500; i += 10) {
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: users.slice(i, i + 10).map((userId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ userId }) })) }));
      }
      const again = await drain(4, Infinity);
      const secondPass = await container.get(QueueDueReports).execute();
      const emails = await ses.emails();
      const recipients = new Set(emails.map((e) => e.destination.to[0]));
      const withUnsubscribe = emails.filter((e) => e.headers?.some((h) => h.name === 'List-Unsubscribe-Post')).length;
      console.log(`Duplicates: 500 repeated messages sent ${again.sent} reports; a second due pass queued ${secondPass.queued}`);
      console.log(`SES emulator: ${emails.length.toLocaleString('en-US')} emails to ${recipients.size.toLocaleString('en-US')} distinct addresses, ${withUnsubscribe.toLocaleString('en-US')} with one-click unsubscribe`);
      const exact = total === USERS && emails.length === USERS && recipients.size === USERS && again.sent === 0 && secondPass.queued === 0;
      console.log(`Target "every opted-in user gets exactly one report": ${exact ? 'MET' : 'MISSED'}`);
      if (!exact) throw new Error('reports were lost or sent twice');
    } finally {
      sqs.destroy();
      metered.destroy();
      await ses.stop();
      await fauxqs.stop();
      await database.stop();
    }
  },
};
