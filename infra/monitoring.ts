import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import * as awsx from '@pulumi/awsx';
import type { LambdaFunction } from './lambda-function.js';

const cw = awsx.classic.cloudwatch;

export interface MonitoringArgs {
  region: string;
  /**
   * Functions to watch for errors and throttles, by a short label. Every one of them delivers
   * alerts (the API right after a write, alert delivery from the stream and the retry pass), so
   * their logs also feed the alert-delivery metrics.
   */
  functions: Record<string, LambdaFunction>;
  httpApi: aws.apigatewayv2.Api;
  deadLetterQueue: aws.sqs.Queue;
  /** The monthly report's queue, its dead-letter queue and the sender (when reports are set up). */
  reports: { queue: aws.sqs.Queue; deadLetterQueue: aws.sqs.Queue; scheduler: LambdaFunction; sender: LambdaFunction } | undefined;
  alarmEmail: string | undefined;
}

/** Five-minute sums: one error, throttle, 5xx or dead letter is worth a look in a product this size. */
const PERIOD = 300;

/** Namespace of the metrics counted from the functions' own log lines. */
export const ALERT_METRICS_NAMESPACE = 'BudgetAlerts';

/**
 * Every failed publish is logged (one JSON object per line) as `"message":"alert delivery failed"`,
 * with `"delivery":"pending"` (to be retried) or `"delivery":"failed"` (given up after 10 attempts).
 * Lambda's Text log format writes the line verbatim after `<time>\t<requestId>\tERROR\t`, so the
 * filters match quoted fragments of it as terms. A JSON selector (`{ $.delivery = ... }`) needs the
 * whole event to be JSON, and the JSON log format would not give that either: it puts the logged
 * string, escaped, into its own `message` field.
 */
const FAILED_PUBLISH = '"message":"alert delivery failed"';
/** What the report sender logs for each failed SES send (SendMonthlyReport). */
const REPORT_SEND_FAILED = '"message":"monthly report send failed"';
const REPORT_SEND_FAILURES_METRIC = 'MonthlyReportSendFailures';
const REPORT_QUEUE_AGE_ALARM_SECONDS = 6 * 3600;
export const ALERT_DELIVERY_METRICS = {
  failures: { metricName: 'AlertDeliveryFailures', filterName: 'delivery-failures', terms: [FAILED_PUBLISH] },
  givenUp: { metricName: 'AlertDeliveriesGivenUp', filterName: 'deliveries-given-up', terms: [FAILED_PUBLISH, '"delivery":"failed"'] },
};

/**
 * Three failed publishes in 15 minutes raise the failure alarm. One alert that keeps failing is
 * tried about three times in that window (after the write, then by the five-minute retry pass after
 * backoffs of 30 s, 1 and 2 min), so a lasting failure is caught even when one user is affected,
 * while a blip (one failure, then a success) stays quiet.
 */
const FAILURES_ALARM = { threshold: 3, periodSeconds: 900 };

/** A CloudWatch Logs filter pattern matching events that contain every term. */
function allTermsPattern(terms: string[]): string {
  // Quoted terms may hold any character; inner backslashes and double quotes are escaped.
  return terms.map((term) => `"${term.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ');
}

/**
 * A CloudWatch dashboard and alarms (Lambda errors and throttles, API 5xx, dead letters, failed and
 * given-up alert deliveries, counted from the functions' logs by metric filters), built with
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

    const alarm = (alarmName: string, metric: awsx.classic.cloudwatch.Metric, description: string, threshold = 1) => {
      this.alarms.push(metric.createAlarm(alarmName, {
        threshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        alarmDescription: description,
        alarmActions: [this.alarmTopic.arn],
        okActions: [this.alarmTopic.arn],
      }, parent));
    };

    const lambdaWidgets: awsx.classic.cloudwatch.Widget[] = [];
    const watch = (label: string, { fn, logGroup }: LambdaFunction, deliversAlerts: boolean) => {
      for (const metric of deliversAlerts ? Object.values(ALERT_DELIVERY_METRICS) : []) {
        new aws.cloudwatch.LogMetricFilter(`${label}-${metric.filterName}`, {
          logGroupName: logGroup.name,
          pattern: allTermsPattern(metric.terms),
          metricTransformation: {
            namespace: ALERT_METRICS_NAMESPACE,
            name: metric.metricName,
            value: '1',
            unit: 'Count',
          },
        }, parent);
      }
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
    };
    for (const [label, fn] of Object.entries(args.functions)) watch(label, fn, true);
    // The report Lambdas deliver no alerts: their errors and throttles are watched, not the delivery metrics.
    if (args.reports) {
      watch('report-scheduler', args.reports.scheduler, false);
      watch('report-sender', args.reports.sender, false);
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

    // Both functions' filters publish the same metrics (no dimension), so one alarm covers each.
    const alertMetric = (metricName: string) =>
      new cw.Metric({ namespace: ALERT_METRICS_NAMESPACE, name: metricName, statistic: 'Sum', period: PERIOD });
    const deliveryFailures = alertMetric(ALERT_DELIVERY_METRICS.failures.metricName);
    const deliveriesGivenUp = alertMetric(ALERT_DELIVERY_METRICS.givenUp.metricName);
    alarm('alert-deliveries-given-up', deliveriesGivenUp, 'Alert emails were given up after 10 failed publishes: they will not be sent');
    alarm(
      'alert-delivery-failures',
      deliveryFailures.withPeriod(FAILURES_ALARM.periodSeconds),
      'Publishing alert emails keeps failing (they are retried with backoff)',
      FAILURES_ALARM.threshold,
    );

    if (args.reports) {
      // Each failed send is logged as "monthly report send failed" (and retried): counted, and alarmed on.
      new aws.cloudwatch.LogMetricFilter('report-send-failures', {
        logGroupName: args.reports.sender.logGroup.name,
        pattern: allTermsPattern([REPORT_SEND_FAILED]),
        metricTransformation: { namespace: ALERT_METRICS_NAMESPACE, name: REPORT_SEND_FAILURES_METRIC, value: '1', unit: 'Count' },
      }, parent);
      alarm('report-send-failures', new cw.Metric({ namespace: ALERT_METRICS_NAMESPACE, name: REPORT_SEND_FAILURES_METRIC, statistic: 'Sum', period: PERIOD }),
        'Sending monthly reports through SES failed (they are retried; see the sender\'s log)');
      alarm('report-dlq-depth', awsx.classic.sqs.metrics.approximateNumberOfMessagesVisible({ queue: args.reports.deadLetterQueue, statistic: 'Maximum', period: PERIOD }),
        'Report messages failed five times and wait in the dead-letter queue (the next due pass queues those users again)');
      alarm('report-queue-age', awsx.classic.sqs.metrics.approximateAgeOfOldestMessage({ queue: args.reports.queue, statistic: 'Maximum', period: PERIOD }),
        'Monthly reports have waited in the queue for over 6 hours: the senders are not keeping up', REPORT_QUEUE_AGE_ALARM_SECONDS);
    }

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
          new cw.LineGraphMetricWidget({
            title: 'Alert deliveries: failed publishes, given up',
            metrics: [deliveryFailures, deliveriesGivenUp],
          }),
          new cw.SingleNumberMetricWidget({ title: 'Dead-letter queue depth', metrics: [deadLetters] }),
          new cw.AlarmWidget({ title: 'Alarms', alarms: this.alarms.map((a) => a.arn) }),
        ),
      ],
    }, parent);

    this.registerOutputs({ dashboardUrl: this.dashboard.url, alarmTopicArn: this.alarmTopic.arn });
  }
}
