import { expect } from 'chai';
import { DYNAMODB_DEADLINE, SNS_DEADLINE, worstCaseMs } from '../../src/adapters/sdk-deadlines.js';
import { DELIVERY_LEASE_MS } from '../../src/application/use-cases/deliver-alerts.js';
import { EXTRA_ORIGIN, loadStack, mock, PROJECT, STACK, type LoadedStack } from './support/stack.js';

/** Seconds a chain of sequential SDK calls can take when every call runs to its deadline. */
function worstCaseSeconds(calls: { dynamoDb: number; sns: number }): number {
  return Math.ceil((calls.dynamoDb * worstCaseMs(DYNAMODB_DEADLINE) + calls.sns * worstCaseMs(SNS_DEADLINE)) / 1000);
}

/** API Gateway ends an HTTP API integration after 30 s; the function must end first. */
const API_GATEWAY_LIMIT_SECONDS = 29;

describe('infra: Lambda functions, stream mapping and dead-letter queue', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const fn = (name: string) => stack.one('aws:lambda/function:Function', name).inputs;

  it('deploys exactly six functions', () => {
    expect(stack.ofType('aws:lambda/function:Function').map((f) => f.name).sort()).to.deep.equal(['alert-delivery', 'api', 'imports', 'recurring', 'report-scheduler', 'report-sender']);
  });

  for (const [name, memorySize, timeout] of [['api', 512, 28], ['imports', 1024, 28], ['alert-delivery', 256, 60], ['recurring', 256, 300], ['report-scheduler', 256, 300], ['report-sender', 256, 60]] as const) {
    it(`runs ${name} on Node.js 22, arm64, ${memorySize} MB, ${timeout} s, from its esbuild bundle`, async () => {
      const f = fn(name);
      expect(f.runtime).to.equal('nodejs22.x');
      expect(f.architectures).to.deep.equal(['arm64']);
      expect(f.memorySize).to.equal(memorySize);
      expect(f.timeout).to.equal(timeout);
      expect(f.handler).to.equal('index.handler');
      // The bundle folder need not exist here: the archive is only read on `pulumi up`.
      expect(await f.code.path).to.equal(`dist/lambda/${name}`);
    });

    it(`sends ${name}'s logs to its own log group with a set retention`, () => {
      const group = stack.one('aws:cloudwatch/logGroup:LogGroup', `${name}-logs`);
      expect(group.inputs.retentionInDays).to.equal(30);
      expect(group.inputs.namePrefix).to.equal(`/aws/lambda/${PROJECT}-${STACK}-${name}-`);
      expect(fn(name).loggingConfig).to.deep.equal({ logFormat: 'Text', logGroup: group.state.name });
    });
  }

  describe('timeouts sized from the SDK deadlines', () => {
    it("lets the API finish a write's worst case (6 DynamoDB and 2 SNS calls in a row) before API Gateway gives up", () => {
      const needed = worstCaseSeconds({ dynamoDb: 6, sns: 2 });
      expect(needed, `a write's worst case (${needed} s) must fit under API Gateway's limit: tighten src/adapters/sdk-deadlines.ts`)
        .to.be.at.most(API_GATEWAY_LIMIT_SECONDS);
      expect(fn('api').timeout).to.be.at.least(needed).and.at.most(API_GATEWAY_LIMIT_SECONDS);
      // A commit or undo stops between batches after 20 s: one batch's worst case must fit after it.
      expect(fn('imports').timeout).to.equal(fn('api').timeout);
    });

    it('lets alert delivery finish one alert at its worst case (3 DynamoDB and 2 SNS calls in a row)', () => {
      expect(fn('alert-delivery').timeout).to.be.at.least(worstCaseSeconds({ dynamoDb: 3, sns: 2 }));
    });

    for (const name of ['api', 'imports', 'alert-delivery']) {
      it(`ends ${name} before its delivery claim lapses, so no other deliverer sends the same alert meanwhile`, () => {
        expect(fn(name).timeout * 1000).to.be.at.most(DELIVERY_LEASE_MS);
      });
    }
  });

  it('gives the API and imports the table, the topic and the allowed origins (site first) in their environment', () => {
    for (const name of ['api', 'imports']) {
      expect(fn(name).environment, name).to.deep.equal({
        variables: {
          TABLE_NAME: mock.tableName,
          ALERT_TOPIC_ARN: mock.topicArn,
          ALLOWED_ORIGINS: `${mock.siteUrl},${EXTRA_ORIGIN}`,
          // The report's unsubscribe links: signed with the stack's generated secret, pointing at this API.
          REPORT_TOKEN_SECRET: mock.reportTokenSecret,
          REPORT_LINK_BASE: mock.apiEndpoint,
          REPORT_FROM: mock.reportSender,
        },
      });
    }
  });

  it('gives alert delivery and the recurring run the table and the topic in their environment', () => {
    for (const name of ['alert-delivery', 'recurring']) {
      expect(fn(name).environment, name).to.deep.equal({
        variables: { TABLE_NAME: mock.tableName, ALERT_TOPIC_ARN: mock.topicArn },
      });
    }
  });

  describe('stream event-source mapping', () => {
    let mapping: Record<string, any>;
    before(() => {
      const mappings = stack.ofType('aws:lambda/eventSourceMapping:EventSourceMapping');
      expect(mappings.map((m) => m.name).sort()).to.deep.equal(['alert-stream', 'report-queue-sender']);
      mapping = mappings.find((m) => m.inputs.eventSourceArn === mock.streamArn)!.inputs;
    });

    it('reads the table stream from the latest record into the alert-delivery function', () => {
      expect(mapping.eventSourceArn).to.equal(mock.streamArn);
      expect(mapping.functionName).to.equal(`arn:aws:lambda:eu-west-1:123456789012:function:alert-delivery-mock`);
      expect(mapping.startingPosition).to.equal('LATEST');
      expect(mapping.batchSize).to.equal(10);
    });

    it('bounds retries and record age, splits failing batches and reports item failures', () => {
      expect(mapping.bisectBatchOnFunctionError).to.equal(true);
      expect(mapping.maximumRetryAttempts).to.equal(5);
      expect(mapping.maximumRecordAgeInSeconds).to.equal(3600);
      expect(mapping.functionResponseTypes).to.deep.equal(['ReportBatchItemFailures']);
    });

    it('sends records that fail for good to the SQS dead-letter queue', () => {
      expect(mapping.destinationConfig).to.deep.equal({ onFailure: { destinationArn: mock.dlqArn } });
    });

    it('invokes only for alert items whose delivery is pending', () => {
      expect(mapping.filterCriteria.filters).to.have.length(1);
      expect(JSON.parse(mapping.filterCriteria.filters[0].pattern)).to.deep.equal({
        dynamodb: {
          Keys: { expense_id: { S: [{ prefix: '#ALERT#' }] } },
          NewImage: { delivery: { S: ['pending'] } },
        },
      });
    });
  });

  it('keeps dead letters encrypted for the longest retention SQS allows (14 days), and the report queue encrypted too', () => {
    const queues = stack.ofType('aws:sqs/queue:Queue');
    expect(queues.map((q) => q.name).sort()).to.deep.equal(['alert-delivery-dlq', 'report-dlq', 'report-queue']);
    for (const name of ['alert-delivery-dlq', 'report-dlq']) expect(stack.one('aws:sqs/queue:Queue', name).inputs).to.include({ sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
    expect(stack.one('aws:sqs/queue:Queue', 'report-queue').inputs).to.include({ sqsManagedSseEnabled: true });
  });
});
