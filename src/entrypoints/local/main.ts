import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { JavaMissingError } from './dynamodb-local.js';
import { startLocalStack } from './stack.js';

// `npm start`: the whole product on this machine, on 127.0.0.1 only.
const storage = process.env.STORAGE === 'memory' ? 'memory' : 'dynamodb';
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const clientDir = resolve('client/dist');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (!existsSync(resolve(clientDir, 'index.html')) && existsSync(resolve('client/build.mjs'))) {
  console.log('Building the web client...');
  const { buildClient } = await import(resolve('client/build.mjs'));
  await buildClient({ outDir: clientDir, minify: true });
}

try {
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 3000),
    storage,
    dataDir,
    clientDir,
    snsEndpoint: process.env.SNS_ENDPOINT,
    alertTopicArn: process.env.ALERT_TOPIC_ARN,
  });
  console.log(`Budget alerts is running at ${stack.url}/ (API under ${stack.url}/api)`);
  console.log(`Monthly report emails (SES emulator): ${stack.ses.endpoint}/`);
  console.log(storage === 'memory'
    ? 'Storage: in memory. Data is lost when this process exits.'
    : `Storage: DynamoDB Local, data in ${dataDir}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  if (error instanceof JavaMissingError) {
    console.error(`Error: ${error.message}`);
  } else {
    console.error(`Could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
