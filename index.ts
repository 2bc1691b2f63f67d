/**
 * Budget alerts on AWS. Reads as the architecture:
 *   config -> data (table + stream, alert topic) -> site hosting (private bucket + CloudFront)
 *   -> auth (Cognito, redirects to the site) -> api (HTTP API + API and imports Lambdas, JWT)
 *   -> alert delivery (stream -> Lambda -> SNS, DLQ) -> recurring expenses (schedule -> Lambda)
 *   -> monthly reports (schedule -> Lambda -> SQS -> Lambda -> SES, DLQ; when a sender is set)
 *   -> site content (client build + config.json) -> monitoring -> outputs.
 * The site's hosting comes before auth because Cognito's callback URLs and the API's CORS origin are
 * the site's URL; its content comes after the API because config.json carries the API's URL.
 */
import { loadConfig } from './infra/config.js';
import { Data } from './infra/data.js';
import { Site } from './infra/site.js';
import { Auth, OAUTH_SCOPES } from './infra/auth.js';
import { Api } from './infra/api.js';
import { AlertDelivery } from './infra/alerts.js';
import * as random from '@pulumi/random';
import { RecurringRuns } from './infra/recurring.js';
import { MonthlyReports } from './infra/reports.js';
import { Monitoring } from './infra/monitoring.js';

const config = loadConfig();

const data = new Data('data', { deletionProtection: config.deletionProtection });

const site = new Site('site', { priceClass: config.priceClass });

const auth = new Auth('auth', {
  region: config.region,
  siteUrl: site.url,
  extraOrigins: config.allowedOrigins,
  domainPrefix: config.authDomainPrefix,
  allowSelfSignUp: config.allowSelfSignUp,
  deletionProtection: config.deletionProtection,
});

// Signs the report's unsubscribe links; kept (encrypted) in the stack's state, so links stay valid across deploys.
const reportTokenSecret = new random.RandomPassword('report-token-secret', { length: 48, special: false });

const api = new Api('api', {
  table: data.table,
  alertTopic: data.alertTopic,
  allowedOrigins: site.url.apply((siteOrigin) => [siteOrigin, ...config.allowedOrigins]),
  jwtIssuer: auth.issuer,
  jwtAudience: auth.client.id,
  logRetentionDays: config.logRetentionDays,
  throttleRateLimit: config.apiThrottleRateLimit,
  throttleBurstLimit: config.apiThrottleBurstLimit,
  reportTokenSecret: reportTokenSecret.result,
  reportSender: config.reportSender,
});

const alerts = new AlertDelivery('alerts', {
  table: data.table,
  alertTopic: data.alertTopic,
  logRetentionDays: config.logRetentionDays,
});

const recurring = new RecurringRuns('recurring', {
  table: data.table,
  alertTopic: data.alertTopic,
  logRetentionDays: config.logRetentionDays,
});

const reports = config.reportSender ? new MonthlyReports('reports', {
  table: data.table,
  alertTopic: data.alertTopic,
  sender: config.reportSender,
  sendRate: config.reportSendRate,
  tokenSecret: reportTokenSecret.result,
  linkBase: api.httpApi.apiEndpoint,
  logRetentionDays: config.logRetentionDays,
}) : undefined;

site.publish(config.siteDir, {
  apiBaseUrl: api.url,
  auth: {
    region: config.region,
    userPoolId: auth.userPool.id,
    clientId: auth.client.id,
    domain: auth.hostedUiUrl,
    redirectUri: site.url,
    scopes: OAUTH_SCOPES,
  },
});

const monitoring = new Monitoring('monitoring', {
  region: config.region,
  functions: { api: api.handler, imports: api.importsHandler, 'alert-delivery': alerts.handler, recurring: recurring.handler },
  httpApi: api.httpApi,
  deadLetterQueue: alerts.deadLetterQueue,
  reports: reports ? { queue: reports.queue, deadLetterQueue: reports.deadLetterQueue, scheduler: reports.scheduler, sender: reports.sender } : undefined,
  alarmEmail: config.alarmEmail,
});

export const siteUrl = site.url;
export const apiUrl = api.url;
export const userPoolId = auth.userPool.id;
export const userPoolClientId = auth.client.id;
export const hostedUiUrl = auth.hostedUiUrl;
export const alertTopicArn = data.alertTopic.arn;
export const tableName = data.table.name;
export const deadLetterQueueUrl = alerts.deadLetterQueue.url;
export const dashboardUrl = monitoring.dashboard.url;
export const reportQueueUrl = reports?.queue.url;
