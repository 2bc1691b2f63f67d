import { expect } from 'chai';
import { ACCOUNT, loadStack, mock, parsePolicy, PROJECT, REGION, STACK, type LoadedStack } from './support/stack.js';

describe('infra: monthly reports (SES, schedule, queue, sender)', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const fn = (name: string) => stack.one('aws:lambda/function:Function', name).inputs;
  const statements = (name: string) => parsePolicy(stack.one('aws:iam/rolePolicy:RolePolicy', `${name}-policy`).inputs.policy).Statement as { Sid: string; Action: string[]; Resource: string[] }[];
  const identityArn = `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${mock.reportSender}`;
  const configurationSet = `${PROJECT}-${STACK}-reports`;
  const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:report-queue-mock`;

  it('sends from the configured identity through a configuration set that suppresses bounces and complaints', () => {
    expect(stack.one('aws:sesv2/emailIdentity:EmailIdentity', 'report-sender').inputs).to.include({ emailIdentity: mock.reportSender });
    expect(stack.one('aws:sesv2/configurationSet:ConfigurationSet', 'reports').inputs).to.deep.include({
      configurationSetName: configurationSet,
      sendingOptions: { sendingEnabled: true },
      suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it('lets the sender call ses:SendEmail on that identity and configuration set only', () => {
    const send = statements('report-sender').find((s) => s.Sid === 'SendReportEmail')!;
    expect(send.Action).to.deep.equal(['ses:SendEmail']);
    expect(send.Resource).to.deep.equal([identityArn, `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${configurationSet}`]);
    expect(statements('report-sender').flatMap((s) => s.Action).filter((a) => a.startsWith('ses:'))).to.deep.equal(['ses:SendEmail']);
  });

  it('queues due users hourly: the scheduler queries the due-work index, holds users and sends to the queue, nothing else', () => {
    expect(stack.one('aws:cloudwatch/eventRule:EventRule', 'report-due').inputs.scheduleExpression).to.equal('rate(1 hour)');
    expect(stack.one('aws:cloudwatch/eventTarget:EventTarget', 'report-due-target').inputs.arn).to.equal(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:report-scheduler-mock`);
    const actions = Object.fromEntries(statements('report-scheduler').map((s) => [s.Sid, [s.Action, s.Resource]]));
    expect(actions).to.deep.equal({
      QueryDueReports: [['dynamodb:Query'], [`${mock.tableArn}/index/pending_alerts`]],
      HoldDueReports: [['dynamodb:UpdateItem'], [mock.tableArn]],
      QueueDueReports: [['sqs:SendMessage'], [queueArn]],
      WriteOwnLogs: actions.WriteOwnLogs,
    });
  });

  it('redrives a message to the dead-letter queue after five receives, with a visibility timeout six times the sender\'s', () => {
    const queue = stack.one('aws:sqs/queue:Queue', 'report-queue').inputs;
    expect(queue.visibilityTimeoutSeconds).to.equal(6 * fn('report-sender').timeout);
    expect(JSON.parse(queue.redrivePolicy)).to.deep.equal({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:report-dlq-mock`, maxReceiveCount: 5 });
  });

  it('caps the senders to SES\'s rate: reserved concurrency and the queue mapping\'s maximum match (14 emails/s: 2 senders)', () => {
    expect(fn('report-sender').reservedConcurrentExecutions).to.equal(2);
    const mapping = stack.one('aws:lambda/eventSourceMapping:EventSourceMapping', 'report-queue-sender').inputs;
    expect(mapping).to.deep.include({
      eventSourceArn: queueArn, functionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:report-sender-mock`,
      batchSize: 10, functionResponseTypes: ['ReportBatchItemFailures'], scalingConfig: { maximumConcurrency: 2 },
    });
  });

  it('gives both report Lambdas the table, the sender, the configuration set, the queue, the link secret and the API\'s URL', () => {
    for (const name of ['report-scheduler', 'report-sender']) {
      expect(fn(name).environment.variables, name).to.deep.include({
        TABLE_NAME: mock.tableName, REPORT_FROM: mock.reportSender, REPORT_CONFIGURATION_SET: configurationSet,
        REPORT_QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/report-queue-mock`,
        REPORT_TOKEN_SECRET: mock.reportTokenSecret, REPORT_LINK_BASE: mock.apiEndpoint,
      });
    }
  });
});
