import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureExpensesTable } from '../../adapters/dynamodb/create-table.js';
import { expensesTable } from '../../adapters/dynamodb/expenses-table.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { RunDueRecurrences } from '../../application/use-cases/run-recurrences.js';
import { createApiHandler } from '../../adapters/http/api-handler.js';
import { json } from '../../adapters/http/responses.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { QueueDueReports } from '../../application/use-cases/monthly-reports.js';
import { apiDependencies, createContainer } from '../../composition-root.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';
import { serveThroughHandler } from './http-bridge.js';
import { serveStatic } from './static-files.js';
import { startSesLocal, type SesLocal } from './ses-local.js';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  port?: number;
  storage: 'dynamodb' | 'memory';
  /** Where DynamoDB Local keeps its data. */
  dataDir?: string;
  clientDir?: string;
  /** How often pending alerts are retried, in ms. */
  alertRetryIntervalMs?: number;
  /** How often recurring expenses that are due are made, in ms. */
  recurringIntervalMs?: number;
  snsEndpoint?: string;
  alertTopicArn?: string;
  log?: (line: string) => void;
  /** The per-user write rate; the product's default unless a benchmark seeding in bulk raises it. */
  writeRateLimit?: WriteRateLimit;
  /** How often monthly reports that are due are sent, in ms. */
  reportIntervalMs?: number;
  /** The SES emulator's port (0: a free one). */
  sesPort?: number;
}

export interface LocalStack {
  url: string;
  /** The SES emulator: its URL shows the reports "sent" in a browser. */
  ses: SesLocal;
  close(): Promise<void>;
}

/** Locally there is one person, so the server acts as this user (on AWS the JWT says who). */
export const LOCAL_USER_ID = 'local';

/** The server listens on loopback only: nothing on the network may reach the ledger. */
const LISTEN_ADDRESS = '127.0.0.1';

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
  // The server listens first: the reports' unsubscribe links point at its address.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, LISTEN_ADDRESS, () => resolve());
  });
  const { port } = server.address() as { port: number };
  const url = `http://${LISTEN_ADDRESS}:${port}`;
  const ses = await startSesLocal(options.sesPort ?? 0);

  const container = createContainer({
    storage: options.storage,
    tableName: expensesTable.name,
    region: 'local',
    ...(database ? { dynamoDbEndpoint: database.endpoint } : {}),
    notifier: 'log',
    ...(options.snsEndpoint && options.alertTopicArn ? { snsEndpoint: options.snsEndpoint, alertTopicArn: options.alertTopicArn } : {}),
    allowedOrigins: [],
    ...(options.writeRateLimit ? { writeRateLimit: options.writeRateLimit } : {}),
    reports: {
      enabled: true, mailer: 'ses', sesEndpoint: ses.endpoint, from: 'reports@localhost', queue: 'in-process',
      linkBase: url, tokenSecret: reportTokenSecret(options.dataDir && options.storage === 'dynamodb' ? options.dataDir : undefined),
    },
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
  const allowedHosts = ownHostHeaders(port);

  server.on('request', (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const isApi = pathname === '/api' || pathname.startsWith('/api/');
    if (!allowedHosts.includes(req.headers.host?.toLowerCase() ?? '')) return rejectMisdirected(res, allowedHosts, isApi);
    const work = isApi
      ? serveThroughHandler(handler, LOCAL_USER_ID, req, res)
      : serveStatic(clientDir, pathname, res);
    work.catch((error) => {
      log(`request failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error' } }));
    });
  });

  // The local stand-in for the scheduled retry Lambda: the same use case, on a timer.
  const deliverAlerts = container.get(DeliverAlerts);
  const retry = setInterval(() => {
    deliverAlerts.retryDue().catch((error) => log(`alert retry failed: ${String(error)}`));
  }, options.alertRetryIntervalMs ?? 30_000);
  retry.unref();
  // The local stand-in for the scheduled recurring-expenses Lambda: at start-up, then every minute.
  const runDueRecurrences = container.get(RunDueRecurrences);
  const runRecurring = () => runDueRecurrences.execute().catch((error) => log(`recurring expenses run failed: ${String(error)}`));
  void runRecurring();
  const recurring = setInterval(runRecurring, options.recurringIntervalMs ?? 60_000);
  recurring.unref();
  // The local stand-in for the hourly report pass (and its queue and sender): at start-up, then every minute.
  const queueDueReports = container.get(QueueDueReports);
  const runReports = () => queueDueReports.execute().catch((error) => log(`monthly report pass failed: ${String(error)}`));
  void runReports();
  const reports = setInterval(runReports, options.reportIntervalMs ?? 60_000);
  reports.unref();

  return {
    url,
    ses,
    async close() {
      clearInterval(retry);
      clearInterval(recurring);
      clearInterval(reports);
      await ses.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database?.stop();
    },
  };
}

/**
 * A web page on another origin can rebind its own host name to 127.0.0.1 and then call this server
 * as if same-origin, but the browser still sends that name in `Host`. Only our own names pass.
 */
function ownHostHeaders(port: number): string[] {
  // Clients leave the default port out of Host.
  return [LISTEN_ADDRESS, 'localhost'].flatMap((name) => (port === 80 ? [name, `${name}:80`] : [`${name}:${port}`]));
}

function rejectMisdirected(res: ServerResponse, allowedHosts: string[], isApi: boolean): void {
  const message = `this server answers only to Host ${allowedHosts.join(' or ')}`;
  if (isApi) {
    const response = json(421, { error: { code: 'MISDIRECTED_REQUEST', message } });
    res.writeHead(response.statusCode, response.headers);
    res.end(response.body);
  } else {
    res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(message);
  }
}

/**
 * The secret of the reports' unsubscribe links: kept beside DynamoDB Local's data, so links in
 * reports already "sent" keep working after a restart (in memory, one per run).
 */
function reportTokenSecret(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'report-token-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
