import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import {
  GetItemCommand, ProvisionedThroughputExceededException, TransactionCanceledException,
  type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { expect } from 'chai';
import type { ApiHandler } from '../../src/adapters/http/api-handler.js';
import { LOCAL_DYNAMODB_DEADLINE } from '../../src/adapters/sdk-deadlines.js';
import { InMemoryNotifier } from '../../src/adapters/memory/memory-notifier.js';
import { TOKENS } from '../../src/application/ports.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { DeliverAlerts } from '../../src/application/use-cases/deliver-alerts.js';
import { ListAlerts } from '../../src/application/use-cases/list-alerts.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { createAlertStreamHandler } from '../../src/adapters/dynamodb/alert-stream-handler.js';
import { testApp, type TestApp } from '../support/app.js';
import { asInput, budget } from '../support/fixtures.js';
import { fauxqsServer } from '../support/services.js';
import { dynamoApp, handlerOf, parsed, partitionItems, request } from './support.js';

// ---------- fault injection on the real SDK client ----------

interface Call { command: string; input: Record<string, any>; at: number; context: object }
type Fault = { before?: () => Error; after?: () => Error } | null;

/**
 * Puts a middleware right after the SDK's retry middleware, so it sees every attempt (the retries
 * included) and can fail it before it reaches DynamoDB Local or after DynamoDB Local answered.
 */
function injectFaults(client: DynamoDBClient, decide: (call: Call, calls: Call[]) => Fault): { calls: Call[]; remove(): void } {
  const calls: Call[] = [];
  const name = `faultInjection-${randomUUID()}`;
  client.middlewareStack.addRelativeTo((next: any, context: any) => async (args: any) => {
    const call: Call = { command: context.commandName, input: args.input, at: Date.now(), context };
    calls.push(call);
    const fault = decide(call, calls);
    if (fault?.before) throw fault.before();
    const result = await next(args);
    if (fault?.after) throw fault.after();
    return result;
  }, { relation: 'after', toMiddleware: 'retryMiddleware', name });
  return { calls, remove: () => { client.middlewareStack.remove(name); } };
}

const throughputExceeded = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 } });
const throttling = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
const timeout = () => Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError' });
const conflict = (code: 'ConditionalCheckFailed' | 'TransactionConflict' | 'ThrottlingError' = 'ConditionalCheckFailed') => new TransactionCanceledException({
  message: `Transaction cancelled, please refer cancellation reasons for specific reasons [None, ${code}]`,
  $metadata: { httpStatusCode: 400 },
  CancellationReasons: [{ Code: 'None' }, { Code: code }],
});

/** Attempts grouped per SDK command invocation (one retry loop each). */
function perInvocation(calls: Call[]): Call[][] {
  const groups = new Map<object, Call[]>();
  for (const call of calls) groups.set(call.context, [...(groups.get(call.context) ?? []), call]);
  return [...groups.values()];
}

function gaps(calls: Call[]): number[] {
  return calls.slice(1).map((c, i) => c.at - calls[i]!.at);
}

function expectServiceUnavailable(response: { statusCode: number; headers: Record<string, string>; body?: string }): void {
  expect(response.statusCode, response.body).to.equal(503);
  expect(response.headers['retry-after']).to.match(/^[1-9]\d*$/);
  expect(parsed(response)).to.deep.equal({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is busy; please retry shortly' } });
}

/** DynamoDB Local's client deadline (on AWS, DYNAMODB_DEADLINE allows fewer attempts, same logic). */
const ATTEMPTS = LOCAL_DYNAMODB_DEADLINE.maxAttempts;

/**
 * The client's maxAttempts: no call is tried more often, and each failed request had a call
 * that used all of them. (A read running in parallel with the one that gave up may still be between
 * attempts when the 503 is sent, so it can show fewer so far.)
 */
function expectAttemptsCapped(invocations: Call[][], failedRequests: number): void {
  const attempts = invocations.map((g) => g.length);
  const shown = invocations.map((g) => `${g[0]!.command}:${g.length}`).join(' ');
  expect(Math.max(...attempts), shown).to.equal(ATTEMPTS);
  expect(attempts.filter((n) => n === ATTEMPTS).length, shown).to.be.at.least(failedRequests);
}

const EXPENSE = { amount: 42.5, category: 'Food', date: '2026-11-10' };

describe('reliability: DynamoDB faults (throttling, conflicts, timeouts) on DynamoDB Local', function () {
  this.timeout(60_000);
  let system: Awaited<ReturnType<typeof dynamoApp>>;
  let app: TestApp;
  let handler: ApiHandler;
  let faults: ReturnType<typeof injectFaults> | null = null;
  let user: string;
  let existingId: string;
  const figures: string[] = [];

  before(async () => {
    system = await dynamoApp();
    app = system.app;
    handler = handlerOf(app);
  });
  after(async () => {
    await system?.close();
    console.log(figures.map((f) => `      ${f}`).join('\n'));
  });

  beforeEach(async () => {
    // Each test its own user, with an expense and a budget already stored.
    user = `fault-${randomUUID()}`;
    await app.get(SetBudget).execute(user, budget({ monthlyLimit: 10_000, thresholds: [50], alertEmail: `${user}@example.com` }));
    existingId = (await app.get(AddExpense).execute(user, asInput({ amount: 1000, category: 'Travel', date: '2026-11-02' }))).expense.id;
  });
  afterEach(() => { faults?.remove(); faults = null; });

  const snapshot = () => partitionItems(system.raw, system.tableName, user);

  it('throttling on the first two commit attempts: the SDK retries and the write commits once (201)', async () => {
    let throttled = 0;
    faults = injectFaults(system.client, (call) => (call.command === 'TransactWriteItemsCommand' && throttled++ < 2 ? { before: throughputExceeded } : null));
    const response = await handler(request('POST', '/api/expenses', user, { body: EXPENSE }));
    expect(response.statusCode, response.body).to.equal(201);
    const commits = faults.calls.filter((c) => c.command === 'TransactWriteItemsCommand');
    expect(perInvocation(commits).map((g) => g.length), 'one SDK invocation, three attempts').to.deep.equal([3]);
    const list = parsed(await handler(request('GET', '/api/expenses', user, { query: { month: '2026-11' } })));
    expect(list.items.map((e: { amount: number }) => e.amount).sort()).to.deep.equal([10, 42.5]);
    expect(parsed(await handler(request('GET', '/api/summary', user, { query: { month: '2026-11' } }))).total).to.equal(52.5);
    figures.push(`throttled x2 then ok: ${commits.length} commit attempts, gaps ${gaps(commits).join('/')} ms`);
  });

  it(`throttling on every call: ${ATTEMPTS} attempts per call with capped, jittered backoff, then 503 + Retry-After; nothing written`, async () => {
    const before = await snapshot();
    faults = injectFaults(system.client, (call) => (call.input.Key?.user_id?.S === user || call.input.TransactItems || call.input.ExpressionAttributeValues?.[':user']?.S === user ? { before: throttling } : null));
    const started = Date.now();
    // Three requests one after another (each two parallel reads, each retried): throttling backoff is
    // long by design, and three retry loops give enough delays to tell jitter from a fixed schedule.
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await handler(request('POST', '/api/expenses', user, { body: EXPENSE })));
    const elapsed = Date.now() - started;
    for (const response of responses) expectServiceUnavailable(response);
    const invocations = perInvocation(faults.calls);
    expectAttemptsCapped(invocations, responses.length);
    // The SDK's standard strategy waits a random time below min(20 s, base * 2^k) before retry k+1;
    // the throttling base is 1 s in this SDK version (500 ms in older ones).
    const allGaps = invocations.map(gaps);
    for (const g of allGaps) g.forEach((gap, k) => expect(gap, `gap before retry ${k + 1}`).to.be.below(Math.min(20_000, 1000 * 2 ** k) + 250));
    // A fixed schedule waits the same time before retry k in every loop; jitter spreads those waits.
    // (A read cut short by its sibling's 503 still contributes the gaps it had.)
    const spreadOfRetry = (k: number) => {
      const waits = allGaps.filter((g) => g.length > k).map((g) => g[k]!);
      return waits.length < 2 ? 0 : Math.max(...waits) - Math.min(...waits);
    };
    expect(Math.max(spreadOfRetry(0), spreadOfRetry(1)), `delays are jittered, not fixed: ${JSON.stringify(allGaps)}`).to.be.greaterThan(20);
    faults.remove();
    faults = null;
    expect(await snapshot(), 'nothing written').to.deep.equal(before);
    figures.push(`always throttled: ${responses.length} requests -> 503 in ${elapsed} ms, ${invocations.length} SDK calls x ${ATTEMPTS} attempts, gaps ${allGaps.map((g) => g.join('/')).join(', ')} ms`);
  });

  it('throttling of the commit only: the reads succeed, the request is answered 503 and nothing is partially written', async () => {
    const before = await snapshot();
    faults = injectFaults(system.client, (call) => (call.command === 'TransactWriteItemsCommand' ? { before: throughputExceeded } : null));
    expectServiceUnavailable(await handler(request('PUT', `/api/expenses/${existingId}`, user, { body: { ...EXPENSE, date: '2026-12-01' } })));
    expectServiceUnavailable(await handler(request('PUT', '/api/budget', user, { body: { monthlyLimit: 1, thresholds: [10] } })));
    expect(faults.calls.filter((c) => c.command === 'GetItemCommand').length, 'reads went through').to.be.greaterThan(0);
    faults.remove();
    faults = null;
    expect(await snapshot(), 'no expense, month, alert or budget item changed').to.deep.equal(before);
  });

  it('a transaction cancelled for throttling (ThrottlingError reason) is answered 503 without retrying as a conflict', async () => {
    const before = await snapshot();
    faults = injectFaults(system.client, (call) => (call.command === 'TransactWriteItemsCommand' ? { before: () => conflict('ThrottlingError') } : null));
    expectServiceUnavailable(await handler(request('POST', '/api/expenses', user, { body: EXPENSE })));
    expect(faults.calls.filter((c) => c.command === 'TransactWriteItemsCommand')).to.have.length(1);
    faults.remove();
    faults = null;
    expect(await snapshot()).to.deep.equal(before);
  });

  it('timeouts on every call: retried, then 503 + Retry-After; nothing written', async () => {
    const before = await snapshot();
    faults = injectFaults(system.client, (call) => (call.command !== 'QueryCommand' || call.input.ExpressionAttributeValues?.[':user']?.S === user ? { before: timeout } : null));
    expectServiceUnavailable(await handler(request('POST', '/api/expenses', user, { body: EXPENSE })));
    expectServiceUnavailable(await handler(request('GET', '/api/expenses', user, { query: { month: '2026-11' } })));
    expectServiceUnavailable(await handler(request('DELETE', `/api/expenses/${existingId}`, user)));
    expectServiceUnavailable(await handler(request('GET', '/api/summary', user, { query: { month: '2026-11' } })));
    const invocations = perInvocation(faults.calls);
    expectAttemptsCapped(invocations, 4);
    faults.remove();
    faults = null;
    expect(await snapshot()).to.deep.equal(before);
    figures.push(`always timing out: ${invocations.length} SDK calls x ${ATTEMPTS} attempts, 503`);
  });

  it('a timeout after the commit reached DynamoDB: the retry reuses the ClientRequestToken, so the write lands exactly once (201)', async () => {
    let cut = false;
    faults = injectFaults(system.client, (call) => {
      if (call.command !== 'TransactWriteItemsCommand' || cut) return null;
      cut = true;
      return { after: timeout };
    });
    const response = await handler(request('POST', '/api/expenses', user, { body: { ...EXPENSE, amount: 30 } }));
    const commits = faults.calls.filter((c) => c.command === 'TransactWriteItemsCommand');
    expect(commits.length).to.be.at.least(2);
    expect(new Set(commits.map((c) => c.input.ClientRequestToken)).size, 'same token on the retry').to.equal(1);
    expect(response.statusCode, response.body).to.equal(201);
    faults.remove();
    faults = null;
    const summary = parsed(await handler(request('GET', '/api/summary', user, { query: { month: '2026-11' } })));
    expect({ total: summary.total, count: summary.count }).to.deep.equal({ total: 40, count: 2 });
  });

  it('conditional-check conflicts on three commits: the use case re-reads and retries, and commits once (201)', async () => {
    let conflicts = 0;
    faults = injectFaults(system.client, (call) => (call.command === 'TransactWriteItemsCommand' && conflicts++ < 3 ? { before: () => conflict() } : null));
    const response = await handler(request('POST', '/api/expenses', user, { body: EXPENSE }));
    expect(response.statusCode, response.body).to.equal(201);
    expect(perInvocation(faults.calls.filter((c) => c.command === 'TransactWriteItemsCommand')).map((g) => g.length), 'four separate commits, one attempt each').to.deep.equal([1, 1, 1, 1]);
    faults.remove();
    faults = null;
    const summary = parsed(await handler(request('GET', '/api/summary', user, { query: { month: '2026-11' } })));
    expect({ total: summary.total, count: summary.count }).to.deep.equal({ total: 52.5, count: 2 });
  });

  it('conflicts on every commit: 40 attempts with capped (<= 200 ms), jittered backoff, then 503 + Retry-After; nothing written', async () => {
    const before = await snapshot();
    faults = injectFaults(system.client, (call) => (call.command === 'TransactWriteItemsCommand' ? { before: () => conflict('TransactionConflict') } : null));
    const started = Date.now();
    expectServiceUnavailable(await handler(request('POST', '/api/expenses', user, { body: EXPENSE })));
    const elapsed = Date.now() - started;
    const commits = faults.calls.filter((c) => c.command === 'TransactWriteItemsCommand');
    expect(commits).to.have.length(40);
    // Between two commits: a random wait below min(200, 5 * 2^k) ms, plus the re-reads.
    const between = gaps(commits);
    between.forEach((gap, k) => expect(gap, `gap ${k}`).to.be.below(Math.min(200, 5 * 2 ** k) + 150));
    expect(new Set(between.map((g) => Math.round(g / 5))).size, 'jittered').to.be.greaterThan(5);
    faults.remove();
    faults = null;
    expect(await snapshot()).to.deep.equal(before);
    figures.push(`always conflicting: 40 commits in ${elapsed} ms, max gap ${Math.max(...between)} ms, then 503`);
  });
});

// ---------- SNS outage ----------

/** A TCP forwarder in front of fauxqs: stopping it is an SNS outage (connection refused), starting it again on the same port ends it. */
class Outage {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly targetPort: number) {}

  async up(): Promise<void> {
    const server = createServer((downstream) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const s of [downstream, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { downstream.destroy(); upstream.destroy(); });
      }
      downstream.pipe(upstream).pipe(downstream);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get endpoint(): string { return `http://127.0.0.1:${this.port}`; }
}

describe('reliability: SNS outage, then recovery', function () {
  this.timeout(60_000);
  let sqs: SQSClient;
  let topicArn: string;
  let queueUrl: string;
  let outage: Outage;
  const cleanups: (() => Promise<void>)[] = [];
  const USER = 'sns-user';

  before(async () => {
    const services = await fauxqsServer();
    sqs = services.sqs;
    topicArn = (await services.sns.send(new CreateTopicCommand({ Name: `alerts-${randomUUID()}` }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `inbox-${randomUUID()}` }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await services.sns.send(new SubscribeCommand({
      TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn,
      Attributes: { FilterPolicy: JSON.stringify({ userId: [USER] }), FilterPolicyScope: 'MessageAttributes', RawMessageDelivery: 'false' },
    }));
    cleanups.push(async () => {
      await services.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    });
    outage = new Outage(services.server.port);
    await outage.up(); // fix the port, then take SNS down
    await outage.down();
  });
  after(async () => {
    await outage?.down();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function received(): Promise<{ threshold: string; subject: string }[]> {
    const messages: { threshold: string; subject: string }[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
      if (Messages.length === 0) return messages;
      for (const m of Messages) {
        const envelope = JSON.parse(m.Body!) as { Subject: string; MessageAttributes: Record<string, { Value: string }> };
        messages.push({ threshold: envelope.MessageAttributes.threshold!.Value, subject: envelope.Subject });
      }
    }
  }

  it('local retry path: the expense is saved and the alert stays pending while SNS is down; the retry pass delivers it once when SNS is back', async () => {
    const app = testApp({ notifier: 'sns', snsEndpoint: outage.endpoint, alertTopicArn: topicArn, region: 'us-east-1' });
    const handler = handlerOf(app);
    // The address is subscribed while SNS is up; the outage starts after.
    await outage.up();
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 10_000, thresholds: [80] }));
    await outage.down();
    const response = await handler(request('POST', '/api/expenses', USER, { body: { amount: 80, category: 'Food', date: '2026-11-10' } }));
    expect(response.statusCode, response.body).to.equal(201);
    expect(parsed(response).alerts.map((a: { id: string; delivery: string }) => [a.id, a.delivery])).to.deep.equal([['2026-11_total_80', 'pending']]);
    expect(parsed(await handler(request('GET', '/api/summary', USER, { query: { month: '2026-11' } }))).total).to.equal(80);
    expect(app.logger.lines.some((l) => l.message === 'alert delivery failed')).to.equal(true);

    const deliver = app.get(DeliverAlerts);
    const advance = (ms: number) => { app.clock.current = new Date(app.clock.current.getTime() + ms); };
    expect(await deliver.retryDue(), 'next attempt not due yet').to.deep.equal([]);
    advance(30_000);
    expect((await deliver.retryDue()).map((a) => a.delivery), 'still down').to.deep.equal(['pending']);
    expect(await received()).to.deep.equal([]);

    await outage.up();
    try {
      advance(60_000);
      expect((await deliver.retryDue()).map((a) => a.delivery)).to.deep.equal(['sent']);
      advance(3_600_000);
      expect(await deliver.retryDue(), 'nothing left to retry').to.deep.equal([]);
      expect((await received()).map((m) => m.threshold), 'delivered exactly once').to.deep.equal(['80']);
      expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts).map((a) => a.delivery)).to.deep.equal(['sent']);
    } finally {
      await outage.down();
    }
  });

  it('stream path on AWS: the stream record of the pending alert delivers it once SNS is back, and a redelivered record sends nothing twice', async () => {
    const system = await dynamoApp({ notifier: 'sns', snsEndpoint: outage.endpoint, alertTopicArn: topicArn, region: 'us-east-1' });
    try {
      const { app } = system;
      await outage.up();
      await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 10_000, thresholds: [100] }));
      await outage.down();
      const { alerts } = await app.get(AddExpense).execute(USER, asInput({ amount: 10_000, category: 'Food', date: '2026-11-10' }));
      expect(alerts.map((a) => a.delivery)).to.deep.equal(['pending']);
      // The stream's NewImage is the stored alert item exactly.
      const { Item } = await system.raw.send(new GetItemCommand({ TableName: system.tableName, Key: { user_id: { S: USER }, expense_id: { S: '#ALERT#2026-11#total#100' } }, ConsistentRead: true }));
      const event = streamEvent([{ seq: '1001', image: Item! }]);
      const handle = createAlertStreamHandler(app.get(DeliverAlerts), app.logger);

      // The API's failed attempt scheduled the next one 30 s later; a record before then does nothing.
      expect(await handle(event)).to.deep.equal({ batchItemFailures: [] });
      const advance = (ms: number) => { app.clock.current = new Date(app.clock.current.getTime() + ms); };
      advance(30_000);
      // Due, still down: the failed attempt is recorded (a new stream record follows on AWS), not a batch failure.
      expect(await handle(event)).to.deep.equal({ batchItemFailures: [] });
      expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts).map((a) => a.delivery)).to.deep.equal(['pending']);

      await outage.up();
      try {
        advance(60_000);
        expect(await handle(event)).to.deep.equal({ batchItemFailures: [] });
        expect(await handle(event), 'redelivered record').to.deep.equal({ batchItemFailures: [] });
        expect((await received()).map((m) => m.threshold), 'delivered exactly once').to.deep.equal(['100']);
        expect(((await app.get(ListAlerts).execute(USER, '2026-11')).alerts).map((a) => a.delivery)).to.deep.equal(['sent']);
      } finally {
        await outage.down();
      }
    } finally {
      await system.close();
    }
  });
});

function streamEvent(records: { seq: string; image?: Record<string, AttributeValue>; eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' }[]): DynamoDBStreamEvent {
  return {
    Records: records.map(({ seq, image, eventName }) => ({
      eventID: `event-${seq}`, eventName: eventName ?? 'INSERT', eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1',
      eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Expenses/stream/2026-11-15T00:00:00.000',
      dynamodb: { SequenceNumber: seq, StreamViewType: 'NEW_IMAGE', ...(image ? { NewImage: image as never } : {}) },
    })),
  };
}

describe('reliability: alert stream handler reports partial batch failures', function () {
  this.timeout(60_000);

  it('one failing record (DynamoDB throttled for its user) and one malformed record are reported; the other alerts are delivered once', async () => {
    const system = await dynamoApp();
    let faults: ReturnType<typeof injectFaults> | null = null;
    try {
      const { app } = system;
      const notifier = app.container.get(TOKENS.Notifier) as InMemoryNotifier;
      const users = ['stream-a', 'stream-b', 'stream-c'];
      for (const user of users) await app.get(SetBudget).execute(user, budget({ monthlyLimit: 10_000, thresholds: [50], alertEmail: `${user}@example.com` }));
      notifier.failing = true;
      for (const user of users) await app.get(AddExpense).execute(user, asInput({ amount: 6000, category: 'Food', date: '2026-11-10' }));
      notifier.failing = false;
      // The failed attempts above scheduled the next ones 30 s later.
      app.clock.current = new Date(app.clock.current.getTime() + 30_000);
      const image = async (user: string, sortKey: string) => (await system.raw.send(new GetItemCommand({ TableName: system.tableName, Key: { user_id: { S: user }, expense_id: { S: sortKey } }, ConsistentRead: true }))).Item!;
      const alertImages = await Promise.all(users.map((u) => image(u, '#ALERT#2026-11#total#50')));
      const { alert_id: _missing, ...malformed } = alertImages[2]!;
      const month = await image('stream-a', '#MONTH#2026-11');
      const event = streamEvent([
        { seq: '2001', image: alertImages[0]! },
        { seq: '2002', image: alertImages[1]! },
        { seq: '2003', image: malformed },
        { seq: '2004', image: alertImages[2]! },
        { seq: '2005', image: month, eventName: 'MODIFY' },
        { seq: '2006', eventName: 'REMOVE' },
        { seq: '2007', image: { ...alertImages[0]!, delivery: { S: 'sent' } }, eventName: 'MODIFY' },
      ]);
      // stream-b's alert cannot be claimed: DynamoDB throttles every write for that user.
      faults = injectFaults(system.client, (call) => (call.command === 'UpdateItemCommand' && call.input.Key?.user_id?.S === 'stream-b' ? { before: throttling } : null));
      const handle = createAlertStreamHandler(app.get(DeliverAlerts), app.logger);
      const result = await handle(event);
      expect(result.batchItemFailures).to.deep.equal([{ itemIdentifier: '2002' }, { itemIdentifier: '2003' }]);
      expect(notifier.published.map((p) => p.userId).sort(), 'the records around the failures were delivered, once').to.deep.equal(['stream-a', 'stream-c']);
      expect(faults.calls.filter((c) => c.command === 'UpdateItemCommand' && c.input.Key?.user_id?.S === 'stream-b'), `claim attempted ${ATTEMPTS} times`).to.have.length(ATTEMPTS);

      // The retried batch (Lambda redelivers from the first failure) delivers stream-b once DynamoDB recovers, and nothing twice.
      faults.remove();
      faults = null;
      const retried = await handle(streamEvent([{ seq: '2002', image: alertImages[1]! }, { seq: '2004', image: alertImages[2]! }]));
      expect(retried.batchItemFailures).to.deep.equal([]);
      expect(notifier.published.map((p) => p.userId).sort()).to.deep.equal(['stream-a', 'stream-b', 'stream-c']);
    } finally {
      faults?.remove();
      await system.close();
    }
  });
});
