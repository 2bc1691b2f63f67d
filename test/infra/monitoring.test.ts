import { expect } from 'chai';
import { ALARM_EMAIL, loadStack, mock, PROJECT, STACK, type LoadedStack } from './support/stack.js';

/**
 * A failed publish as CloudWatch stores it: Lambda's Text log format, then the ConsoleLogger's JSON.
 * The error text quotes a fragment on purpose: JSON escapes it, so it must not match.
 */
function failedPublishLogLine(delivery: 'pending' | 'failed'): string {
  const logged = JSON.stringify({
    level: 'error',
    message: 'alert delivery failed',
    userId: '3f1c2a9e-7b1d-4c55-9a0e-2d6f1b8c4e71',
    alertId: '2026-12#total#80',
    attempts: delivery === 'failed' ? 10 : 3,
    delivery,
    retryAt: new Date('2026-12-01T10:04:00.000Z'),
    error: 'InternalErrorException: upstream said "delivery":"failed"',
  });
  return `2026-12-01T10:00:00.000Z\t8e2f5d1a-0c4b-4f7e-9d3a-6b1e2c7f9a40\tERROR\t${logged}`;
}

/**
 * Whether an event matches a pattern made only of quoted terms: every term (CloudWatch's escapes
 * undone) appears in it, case-sensitively. The one part of the filter syntax this pattern uses.
 */
function matchesQuotedTerms(pattern: string, event: string): boolean {
  const quotedTerm = /"((?:[^"\\]|\\.)*)"/g;
  expect(pattern.replace(quotedTerm, '').trim(), 'pattern holds only quoted terms').to.equal('');
  const terms = [...pattern.matchAll(quotedTerm)].map((match) => match[1].replace(/\\(.)/g, '$1'));
  return terms.length > 0 && terms.every((term) => event.includes(term));
}

const FAILURES_PATTERN = '"\\"message\\":\\"alert delivery failed\\""';
const GIVEN_UP_PATTERN = `${FAILURES_PATTERN} "\\"delivery\\":\\"failed\\""`;

describe('infra: monitoring (alarms and dashboard)', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const alarm = (name: string) => stack.one('aws:cloudwatch/metricAlarm:MetricAlarm', name).inputs;

  it('raises exactly nineteen alarms', () => {
    expect(stack.ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.name)).to.have.members([
      'api-errors', 'api-throttles', 'imports-errors', 'imports-throttles', 'alert-delivery-errors', 'alert-delivery-throttles',
      'recurring-errors', 'recurring-throttles', 'api-5xx', 'alert-delivery-dlq-depth', 'alert-deliveries-given-up', 'alert-delivery-failures',
      'report-scheduler-errors', 'report-scheduler-throttles', 'report-sender-errors', 'report-sender-throttles',
      'report-send-failures', 'report-dlq-depth', 'report-queue-age',
    ]).and.have.length(19);
  });

  describe('alert delivery failures, counted from every delivering function\'s logs', () => {
    const filter = (name: string) => stack.one('aws:cloudwatch/logMetricFilter:LogMetricFilter', name).inputs;

    it('adds two metric filters to each delivering function\'s log group, one to the report sender\'s, and no others', () => {
      expect(stack.ofType('aws:cloudwatch/logMetricFilter:LogMetricFilter').map((f) => f.name)).to.have.members([
        'api-delivery-failures', 'api-deliveries-given-up', 'imports-delivery-failures', 'imports-deliveries-given-up',
        'alert-delivery-delivery-failures', 'alert-delivery-deliveries-given-up', 'recurring-delivery-failures', 'recurring-deliveries-given-up',
        'report-send-failures',
      ]).and.have.length(9);
      for (const label of ['api', 'imports', 'alert-delivery', 'recurring']) {
        const logGroupName = stack.one('aws:cloudwatch/logGroup:LogGroup', `${label}-logs`).state.name;
        expect(filter(`${label}-delivery-failures`)).to.deep.include({
          logGroupName,
          pattern: FAILURES_PATTERN,
          metricTransformation: { namespace: 'BudgetAlerts', name: 'AlertDeliveryFailures', value: '1', unit: 'Count' },
        });
        expect(filter(`${label}-deliveries-given-up`)).to.deep.include({
          logGroupName,
          pattern: GIVEN_UP_PATTERN,
          metricTransformation: { namespace: 'BudgetAlerts', name: 'AlertDeliveriesGivenUp', value: '1', unit: 'Count' },
        });
      }
    });

    it('counts every failed publish, pending or given up, as CloudWatch stores the line', () => {
      expect(matchesQuotedTerms(filter('api-delivery-failures').pattern, failedPublishLogLine('pending'))).to.equal(true);
      expect(matchesQuotedTerms(filter('api-delivery-failures').pattern, failedPublishLogLine('failed'))).to.equal(true);
    });

    it('counts a delivery as given up only when the logged delivery state is "failed"', () => {
      expect(matchesQuotedTerms(filter('api-deliveries-given-up').pattern, failedPublishLogLine('failed'))).to.equal(true);
      expect(matchesQuotedTerms(filter('api-deliveries-given-up').pattern, failedPublishLogLine('pending'))).to.equal(false);
    });

    it('ignores other error lines of the same functions', () => {
      const deferred = `2026-12-01T10:00:00.000Z\tr-1\tERROR\t${JSON.stringify({ level: 'error', message: 'alert delivery deferred', error: 'x' })}`;
      expect(matchesQuotedTerms(filter('api-delivery-failures').pattern, deferred)).to.equal(false);
    });

    /** An alarm on one of the log-derived delivery metrics: a sum over `period` seconds, no dimensions. */
    function expectDeliveryAlarm(name: string, metricName: string, period: number, threshold: number): void {
      const found = alarm(name);
      expect(found).to.deep.include({
        namespace: 'BudgetAlerts', metricName, statistic: 'Sum', period, threshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold', evaluationPeriods: 1, treatMissingData: 'notBreaching',
      });
      expect(found.dimensions ?? {}).to.deep.equal({});
    }

    it('alarms on any delivery given up in five minutes', () => {
      expectDeliveryAlarm('alert-deliveries-given-up', 'AlertDeliveriesGivenUp', 300, 1);
    });

    it('alarms on three failed publishes in fifteen minutes', () => {
      expectDeliveryAlarm('alert-delivery-failures', 'AlertDeliveryFailures', 900, 3);
    });
  });

  for (const [label, fnName] of [['api', 'api-mock'], ['alert-delivery', 'alert-delivery-mock']]) {
    for (const [kind, metricName] of [['errors', 'Errors'], ['throttles', 'Throttles']]) {
      it(`alarms on any ${label} Lambda ${kind} in five minutes`, () => {
        expect(alarm(`${label}-${kind}`)).to.deep.include({
          namespace: 'AWS/Lambda',
          metricName,
          dimensions: { FunctionName: fnName },
          statistic: 'Sum',
          period: 300,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
        });
      });
    }
  }

  it('alarms on any API 5xx response', () => {
    expect(alarm('api-5xx')).to.deep.include({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: mock.apiId },
      statistic: 'Sum',
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms as soon as a message waits in the dead-letter queue', () => {
    expect(alarm('alert-delivery-dlq-depth')).to.deep.include({
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: 'alert-delivery-dlq-mock' },
      statistic: 'Maximum',
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('notifies the operations topic, which emails the configured address', () => {
    for (const a of stack.ofType('aws:cloudwatch/metricAlarm:MetricAlarm')) {
      expect(a.inputs.alarmActions, a.name).to.deep.equal([mock.alarmTopicArn]);
      expect(a.inputs.okActions, a.name).to.deep.equal([mock.alarmTopicArn]);
    }
    expect(stack.one('aws:sns/topicSubscription:TopicSubscription', 'alarm-email').inputs).to.include({
      topic: mock.alarmTopicArn,
      protocol: 'email',
      endpoint: ALARM_EMAIL,
    });
  });

  it('builds one dashboard with the API, both Lambdas, alert delivery failures, the DLQ and the alarms', () => {
    const dashboards = stack.ofType('aws:cloudwatch/dashboard:Dashboard');
    expect(dashboards).to.have.length(1);
    expect(dashboards[0].inputs.dashboardName).to.equal(`${PROJECT}-${STACK}`);
    const body = JSON.parse(dashboards[0].inputs.dashboardBody);
    const metricNames = new Set<string>();
    for (const widget of body.widgets) {
      for (const metric of widget.properties.metrics ?? []) metricNames.add(`${metric[0]} ${metric[1]}`);
    }
    expect([...metricNames]).to.include.members([
      'AWS/ApiGateway Count', 'AWS/ApiGateway 5xx', 'AWS/Lambda Errors', 'AWS/Lambda Throttles',
      'AWS/Lambda Invocations', 'AWS/SQS ApproximateNumberOfMessagesVisible',
      'BudgetAlerts AlertDeliveryFailures', 'BudgetAlerts AlertDeliveriesGivenUp',
    ]);
    const alarmWidget = body.widgets.find((w: any) => w.type === 'alarm');
    expect(alarmWidget.properties.alarms).to.have.length(19);
  });
});
