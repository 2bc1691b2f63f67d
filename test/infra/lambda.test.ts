import { expect } from 'chai';
import { EXTRA_ORIGIN, loadStack, mock, PROJECT, STACK, type LoadedStack } from './support/stack.js';

describe('infra: Lambda functions, stream mapping and dead-letter queue', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const fn = (name: string) => stack.one('aws:lambda/function:Function', name).inputs;

  it('deploys exactly two functions', () => {
    expect(stack.ofType('aws:lambda/function:Function').map((f) => f.name).sort()).to.deep.equal(['alert-delivery', 'api']);
  });

  for (const [name, memorySize, timeout] of [['api', 512, 10], ['alert-delivery', 256, 30]] as const) {
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

  it('gives the API the table, the topic and the allowed origins (site first) in its environment', () => {
    expect(fn('api').environment).to.deep.equal({
      variables: {
        TABLE_NAME: mock.tableName,
        ALERT_TOPIC_ARN: mock.topicArn,
        ALLOWED_ORIGINS: `${mock.siteUrl},${EXTRA_ORIGIN}`,
      },
    });
  });

  it('gives alert delivery the table and the topic in its environment', () => {
    expect(fn('alert-delivery').environment).to.deep.equal({
      variables: { TABLE_NAME: mock.tableName, ALERT_TOPIC_ARN: mock.topicArn },
    });
  });

  describe('stream event-source mapping', () => {
    let mapping: Record<string, any>;
    before(() => {
      const mappings = stack.ofType('aws:lambda/eventSourceMapping:EventSourceMapping');
      expect(mappings).to.have.length(1);
      mapping = mappings[0].inputs;
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

  it('keeps dead letters encrypted for the longest retention SQS allows (14 days)', () => {
    const queues = stack.ofType('aws:sqs/queue:Queue');
    expect(queues).to.have.length(1);
    expect(queues[0].inputs).to.include({ sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
  });
});
