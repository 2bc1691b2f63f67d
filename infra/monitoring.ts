import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';

const cw = awsx.classic.cloudwatch;

export interface MonitoringArgs {
  region: string;
  /** Functions to watch for errors and throttles, by a short label. */
  functions: Record<string, aws.lambda.Function>;
  httpApi: aws.apigatewayv2.Api;
  deadLetterQueue: aws.sqs.Queue;
  alarmEmail: string | undefined;
}

/** Five-minute sums: one error, throttle, 5xx or dead letter is worth a look in a product this size. */
const PERIOD = 300;

/**
 * A CloudWatch dashboard and alarms (Lambda errors and throttles, API 5xx, dead letters), built with
 * awsx's classic CloudWatch helpers. Alarms notify an operations topic (an email subscription when
 * `alarmEmail` is set).
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly alarmTopic: aws.sns.Topic;
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];
  readonly dashboard: awsx.classic.cloudwatch.Dashboard;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:monitoring:Monitoring', name, {}, opts);
    const parent = { parent: this };

    // Not KMS-encrypted on purpose: CloudWatch can publish only to topics whose key policy lets it,
    // the AWS managed SNS key's policy cannot be changed, and a customer managed key costs $1/month.
    // The messages carry alarm names and metric values, no user data.
    this.alarmTopic = new aws.sns.Topic('alarms', {}, parent);
    if (args.alarmEmail) {
      new aws.sns.TopicSubscription('alarm-email', {
        topic: this.alarmTopic.arn,
        protocol: 'email',
        endpoint: args.alarmEmail,
      }, parent);
    }

    const alarm = (alarmName: string, metric: awsx.classic.cloudwatch.Metric, description: string) => {
      this.alarms.push(metric.createAlarm(alarmName, {
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        alarmDescription: description,
        alarmActions: [this.alarmTopic.arn],
        okActions: [this.alarmTopic.arn],
      }, parent));
    };

    const lambdaWidgets: awsx.classic.cloudwatch.Widget[] = [];
    for (const [label, fn] of Object.entries(args.functions)) {
      const errors = awsx.classic.lambda.metrics.errors({ function: fn, statistic: 'Sum', period: PERIOD });
      const throttles = awsx.classic.lambda.metrics.throttles({ function: fn, statistic: 'Sum', period: PERIOD });
      alarm(`${label}-errors`, errors, `The ${label} Lambda threw errors`);
      alarm(`${label}-throttles`, throttles, `The ${label} Lambda was throttled`);
      lambdaWidgets.push(
        new cw.LineGraphMetricWidget({
          title: `${label}: invocations, errors, throttles`,
          metrics: [
            awsx.classic.lambda.metrics.invocations({ function: fn, statistic: 'Sum', period: PERIOD }),
            errors,
            throttles,
          ],
        }),
        new cw.LineGraphMetricWidget({
          title: `${label}: duration p95 (ms)`,
          metrics: [awsx.classic.lambda.metrics.duration({ function: fn, extendedStatistic: 95, period: PERIOD })],
        }),
      );
    }

    // HTTP APIs publish 4xx/5xx/Count/Latency under AWS/ApiGateway with the ApiId dimension
    // (awsx's apigateway metrics are for REST APIs, whose dimension is ApiName).
    const apiMetric = (metricName: string, statistic: awsx.classic.cloudwatch.MetricStatistic) =>
      new cw.Metric({
        namespace: 'AWS/ApiGateway',
        name: metricName,
        dimensions: { ApiId: args.httpApi.id },
        statistic,
        period: PERIOD,
      }, args.httpApi);
    const api5xx = apiMetric('5xx', 'Sum');
    alarm('api-5xx', api5xx, 'The HTTP API returned 5xx responses');

    const deadLetters = awsx.classic.sqs.metrics.approximateNumberOfMessagesVisible({
      queue: args.deadLetterQueue,
      statistic: 'Maximum',
      period: PERIOD,
    });
    alarm('alert-delivery-dlq-depth', deadLetters, 'Alert deliveries failed for good and wait in the dead-letter queue');

    this.dashboard = new cw.Dashboard('dashboard', {
      name: `${pulumi.getProject()}-${pulumi.getStack()}`,
      region: args.region as aws.Region,
      widgets: [
        new cw.RowWidget(
          new cw.LineGraphMetricWidget({
            title: 'API requests and errors',
            metrics: [apiMetric('Count', 'Sum'), apiMetric('4xx', 'Sum'), api5xx],
          }),
          new cw.LineGraphMetricWidget({
            title: 'API latency p95 (ms)',
            metrics: [new cw.Metric({
              namespace: 'AWS/ApiGateway',
              name: 'Latency',
              dimensions: { ApiId: args.httpApi.id },
              extendedStatistic: 95,
              period: PERIOD,
            })],
          }),
        ),
        new cw.RowWidget(...lambdaWidgets),
        new cw.RowWidget(
          new cw.SingleNumberMetricWidget({ title: 'Dead-letter queue depth', metrics: [deadLetters] }),
          new cw.AlarmWidget({ title: 'Alarms', alarms: this.alarms.map((a) => a.arn) }),
        ),
      ],
    }, parent);

    this.registerOutputs({ dashboardUrl: this.dashboard.url, alarmTopicArn: this.alarmTopic.arn });
  }
}
