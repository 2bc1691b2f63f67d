import { expect } from 'chai';
import { ALARM_EMAIL, loadStack, mock, PROJECT, STACK, type LoadedStack } from './support/stack.js';

describe('infra: monitoring (alarms and dashboard)', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const alarm = (name: string) => stack.one('aws:cloudwatch/metricAlarm:MetricAlarm', name).inputs;

  it('raises exactly six alarms', () => {
    expect(stack.ofType('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.name)).to.have.members([
      'api-errors', 'api-throttles', 'alert-delivery-errors', 'alert-delivery-throttles', 'api-5xx', 'alert-delivery-dlq-depth',
    ]).and.have.length(6);
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

  it('builds one dashboard with the API, both Lambdas, the DLQ and the alarms', () => {
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
    ]);
    const alarmWidget = body.widgets.find((w: any) => w.type === 'alarm');
    expect(alarmWidget.properties.alarms).to.have.length(6);
  });
});
