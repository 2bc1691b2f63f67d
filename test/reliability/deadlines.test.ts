import { createServer, type Server, type Socket } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { expect } from 'chai';
import { DYNAMODB_TOKENS } from '../../src/adapters/dynamodb/dynamodb-ledger-repository.js';
import { createApiHandler } from '../../src/adapters/http/api-handler.js';
import { DYNAMODB_DEADLINE, requestHandlerOptions, SNS_DEADLINE, worstCaseMs } from '../../src/adapters/sdk-deadlines.js';
import { SNS_TOKENS } from '../../src/adapters/sns/sns-notifier.js';
import { defaultBudgetRecord, TOKENS } from '../../src/application/ports.js';
import { apiDependencies, createContainer } from '../../src/composition-root.js';
import { apiEvent, bodyOf } from '../support/api-events.js';
import { RecordingLogger } from '../support/app.js';
import { budget, FixedClock } from '../support/fixtures.js';
import { dynamoDbEndpoint, freshTable } from '../support/services.js';

/** A server that accepts every connection and never answers: a dependency that hangs. */
async function silentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const EXPENSE = { amount: 42.5, category: 'Food', date: '2026-11-10' };

describe('reliability: SDK deadlines against endpoints that accept and never answer', function () {
  this.timeout(60_000);
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const clients: { destroy(): void }[] = [];
  before(async () => { silent = await silentServer(); });
  after(async () => {
    for (const client of clients) client.destroy();
    await silent.close();
  });

  it('a silent DynamoDB answers 503 with Retry-After within the deadline budget, never a hang', async () => {
    const container = createContainer({ storage: 'dynamodb', tableName: 'Expenses', region: 'us-east-1', dynamoDbEndpoint: silent.endpoint, notifier: 'memory', allowedOrigins: [] });
    // The production deadline, not DynamoDB Local's looser one.
    const client = new DynamoDBClient({ endpoint: silent.endpoint, region: 'us-east-1', credentials, maxAttempts: DYNAMODB_DEADLINE.maxAttempts, requestHandler: requestHandlerOptions(DYNAMODB_DEADLINE) });
    clients.push(client);
    container.rebind(DYNAMODB_TOKENS.Client).toConstantValue(client);
    container.rebind(TOKENS.Logger).toConstantValue(new RecordingLogger());
    const handler = createApiHandler(apiDependencies(container, []));
    const started = Date.now();
    const response = await handler(apiEvent('POST', '/api/expenses', { body: EXPENSE }));
    const elapsed = Date.now() - started;
    expect(response.statusCode, response.body).to.equal(503);
    expect(response.headers['retry-after']).to.match(/^[1-9]\d*$/);
    expect(bodyOf(response).error.code).to.equal('SERVICE_UNAVAILABLE');
    expect(elapsed, `answered after ${elapsed} ms`).to.be.at.least(DYNAMODB_DEADLINE.requestTimeoutMs).and.below(worstCaseMs(DYNAMODB_DEADLINE) + 1000);
  });

  it('a silent SNS leaves the committed write answered 201 with its alert pending, within the deadline budget', async () => {
    const table = await freshTable();
    try {
      const container = createContainer({
        storage: 'dynamodb', tableName: table.tableName, region: 'us-east-1', dynamoDbEndpoint: await dynamoDbEndpoint(),
        notifier: 'sns', snsEndpoint: silent.endpoint, alertTopicArn: 'arn:aws:sns:us-east-1:000000000000:alerts', allowedOrigins: [],
      });
      const sns = new SNSClient({ endpoint: silent.endpoint, region: 'us-east-1', credentials, maxAttempts: SNS_DEADLINE.maxAttempts, requestHandler: requestHandlerOptions(SNS_DEADLINE) });
      clients.push(sns);
      container.rebind(SNS_TOKENS.Client).toConstantValue(sns);
      container.rebind(TOKENS.Logger).toConstantValue(new RecordingLogger());
      container.rebind(TOKENS.Clock).toConstantValue(new FixedClock());
      // The address was subscribed before SNS went silent.
      await container.get(TOKENS.LedgerRepository).commit('user-a', { months: [], newAlerts: [], budget: { expectedVersion: 0, record: {
        ...defaultBudgetRecord(),
        budget: budget({ monthlyLimit: 10_000, thresholds: [50] }),
        subscription: { email: 'owner@example.com', subscriptionArn: 'arn:aws:sns:us-east-1:000000000000:alerts:1', recipient: 'r1' },
      } } });
      const handler = createApiHandler(apiDependencies(container, []));
      const started = Date.now();
      const response = await handler(apiEvent('POST', '/api/expenses', { body: { ...EXPENSE, amount: 60 } }));
      const elapsed = Date.now() - started;
      expect(response.statusCode, response.body).to.equal(201);
      expect(bodyOf(response).alerts.map((a: { delivery: string }) => a.delivery)).to.deep.equal(['pending']);
      expect(elapsed, `answered after ${elapsed} ms`).to.be.at.least(SNS_DEADLINE.requestTimeoutMs).and.below(worstCaseMs(SNS_DEADLINE) + 3000);
    } finally {
      await table.drop();
    }

  });
});
