import { createServer } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureExpensesTable } from '../../adapters/dynamodb/create-table.js';
import { expensesTable } from '../../adapters/dynamodb/expenses-table.js';
import { createApiHandler } from '../../adapters/http/api-handler.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { apiDependencies, createContainer } from '../../composition-root.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { serveThroughHandler } from './http-bridge.js';
import { serveStatic } from './static-files.js';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  storage: 'dynamodb' | 'memory';
  /** Where DynamoDB Local keeps its data. */
  dataDir?: string;
  clientDir?: string;
  /** How often pending alerts are retried, in ms. */
  alertRetryIntervalMs?: number;
  snsEndpoint?: string;
  alertTopicArn?: string;
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  close(): Promise<void>;
}

/** Locally there is one person, so the server acts as this user (on AWS the JWT says who). */
export const LOCAL_USER_ID = 'local';

/**
 * Everything `npm start` runs: DynamoDB Local (or memory), the API handler behind a loopback
 * HTTP server, the web client, and the in-process retry of undelivered alerts.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  let database: DynamoDbLocal | null = null;
  if (options.storage === 'dynamodb') {
    database = await startDynamoDbLocal({ dataDir: options.dataDir });
    const client = new DynamoDBClient({ endpoint: database.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await ensureExpensesTable(client, expensesTable.name);
    } catch (error) {
      await database.stop();
      throw error;
    } finally {
      client.destroy();
    }
  }
  const container = createContainer({
    storage: options.storage,
    tableName: expensesTable.name,
    region: 'local',
    ...(database ? { dynamoDbEndpoint: database.endpoint } : {}),
    notifier: 'log',
    ...(options.snsEndpoint && options.alertTopicArn ? { snsEndpoint: options.snsEndpoint, alertTopicArn: options.alertTopicArn } : {}),
    allowedOrigins: [],
  });
  if (options.log) {
    const write = options.log;
    container.rebind(TOKENS.Logger).toConstantValue({
      info: (message, details) => write(JSON.stringify({ level: 'info', message, ...details })),
      error: (message, details) => write(JSON.stringify({ level: 'error', message, ...details })),
    });
  }
  const handler = createApiHandler(apiDependencies(container, []));
  const clientDir = options.clientDir ?? 'client/dist';

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const work = pathname === '/api' || pathname.startsWith('/api/')
      ? serveThroughHandler(handler, LOCAL_USER_ID, req, res)
      : serveStatic(clientDir, pathname, res);
    work.catch((error) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };

  // The local stand-in for the scheduled retry Lambda: the same use case, on a timer.
  const deliverAlerts = container.get(DeliverAlerts);
  const retry = setInterval(() => {
    deliverAlerts.retryDue().catch((error) => log(`alert retry failed: ${String(error)}`));
  }, options.alertRetryIntervalMs ?? 30_000);
  retry.unref();

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      clearInterval(retry);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database?.stop();
    },
  };
}
