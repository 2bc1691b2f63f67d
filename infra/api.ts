import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';
import { API_SCOPE } from './auth.js';
import { LambdaFunction, type PolicyStatement } from './lambda-function.js';
import { expensesTable } from '../src/adapters/dynamodb/expenses-table.js';

/** The API contract's routes. All but health need a valid Cognito JWT. */
/** Every route, and which function serves it: the API Lambda unless `imports`. */
export const API_ROUTES: { routeKey: string; public?: boolean; imports?: true }[] = [
  { routeKey: 'GET /api/health', public: true },
  // The monthly report's unsubscribe link: its signed token is the authority, not a sign-in.
  { routeKey: 'GET /api/reports/unsubscribe', public: true },
  { routeKey: 'POST /api/reports/unsubscribe', public: true },
  { routeKey: 'POST /api/expenses' },
  { routeKey: 'GET /api/expenses' },
  { routeKey: 'GET /api/expenses/{id}' },
  { routeKey: 'PUT /api/expenses/{id}' },
  { routeKey: 'DELETE /api/expenses/{id}' },
  { routeKey: 'GET /api/summary' },
  { routeKey: 'GET /api/trends' },
  { routeKey: 'GET /api/budget' },
  { routeKey: 'PUT /api/budget' },
  { routeKey: 'POST /api/budget/alert-email/confirmation' },
  { routeKey: 'GET /api/alerts' },
  { routeKey: 'GET /api/categories' },
  { routeKey: 'POST /api/categories' },
  { routeKey: 'PATCH /api/categories/{id}' },
  { routeKey: 'DELETE /api/categories/{id}' },
  { routeKey: 'GET /api/categories/{id}/usage' },
  { routeKey: 'GET /api/export' },
  { routeKey: 'GET /api/recurring' },
  { routeKey: 'POST /api/recurring' },
  { routeKey: 'GET /api/recurring/{id}' },
  { routeKey: 'PUT /api/recurring/{id}' },
  { routeKey: 'DELETE /api/recurring/{id}' },
  { routeKey: 'POST /api/recurring/{id}/skip' },
  { routeKey: 'GET /api/imports', imports: true },
  { routeKey: 'POST /api/imports', imports: true },
  { routeKey: 'GET /api/imports/{id}', imports: true },
  { routeKey: 'DELETE /api/imports/{id}', imports: true },
  { routeKey: 'POST /api/imports/{id}/preview', imports: true },
  { routeKey: 'POST /api/imports/{id}/commit', imports: true },
];

/** Headers the browser may send cross-origin (Authorization carries the Cognito token). */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key'];
export const CORS_EXPOSE_HEADERS = ['retry-after', 'link', 'content-disposition'];
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * What the API handler calls on the table. TransactWriteItems has no action of its own: each Put,
 * Update, Delete and ConditionCheck in it is authorised as PutItem, UpdateItem, DeleteItem and
 * ConditionCheckItem (an import's batch checks its import's status). Query on the table itself is
 * the strongly consistent "has this user any expense" check of a currency change.
 */
export const API_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * API Gateway ends an HTTP API integration after 30 s; 28 s leaves it a margin. A write's worst
 * case (its sequential DynamoDB and SNS calls, each at its SDK deadline) must fit in it: see
 * test/infra/lambda.test.ts.
 */
export const API_TIMEOUT_SECONDS = 28;

/** Parsing and planning a 5 MB file (about 50,000 rows) in memory; more memory also means more CPU. */
export const IMPORTS_MEMORY_MB = 1024;

export interface ApiArgs {
  table: aws.dynamodb.Table;
  alertTopic: aws.sns.Topic;
  /** The site's origin first, then the configured extra origins. */
  allowedOrigins: pulumi.Input<string[]>;
  jwtIssuer: pulumi.Input<string>;
  jwtAudience: pulumi.Input<string>;
  logRetentionDays: number;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  /** Signs and checks the monthly report's unsubscribe links. */
  reportTokenSecret: pulumi.Input<string>;
  /** The report's sending address; unset, the report cannot be turned on. */
  reportSender: string | undefined;
}

/**
 * An HTTP API (payload 2.0) in front of two Lambdas, every route but health behind a JWT
 * authorizer: the API, and the imports (uploads of up to 5 MB, with their own memory and bundle).
 */
export class Api extends pulumi.ComponentResource {
  readonly handler: LambdaFunction;
  readonly importsHandler: LambdaFunction;
  readonly httpApi: aws.apigatewayv2.Api;
  readonly stage: aws.apigatewayv2.Stage;
  readonly routes: aws.apigatewayv2.Route[];
  /** Base URL the client calls: `<endpoint>/api`. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('budget-alerts:api:Api', name, {}, opts);
    const parent = { parent: this };

    this.httpApi = new aws.apigatewayv2.Api('http-api', {
      protocolType: 'HTTP',
      description: 'Budget alerts API',
      // API Gateway answers preflight requests itself and adds the CORS headers to every response.
      corsConfiguration: {
        allowOrigins: args.allowedOrigins,
        allowMethods: CORS_ALLOW_METHODS,
        allowHeaders: CORS_ALLOW_HEADERS,
        // Readable by the page's script: a 429's wait, the next export page, the export's file name.
        exposeHeaders: CORS_EXPOSE_HEADERS,
        maxAge: 3600,
      },
    }, parent);

    const environment = {
      TABLE_NAME: args.table.name,
      ALERT_TOPIC_ARN: args.alertTopic.arn,
      ALLOWED_ORIGINS: pulumi.output(args.allowedOrigins).apply((origins) => origins.join(',')),
      // The monthly report's unsubscribe links point here and are checked with this secret; without
      // a sending address the report cannot be turned on.
      REPORT_TOKEN_SECRET: args.reportTokenSecret,
      REPORT_LINK_BASE: this.httpApi.apiEndpoint,
      ...(args.reportSender ? { REPORT_FROM: args.reportSender } : {}),
    };
    const tableStatements: PolicyStatement[] = [
      { Sid: 'ReadWriteExpensesTable', Effect: 'Allow', Action: API_TABLE_ACTIONS, Resource: [args.table.arn] },
      {
        Sid: 'QueryByDateIndex',
        Effect: 'Allow',
        Action: ['dynamodb:Query'],
        Resource: [pulumi.interpolate`${args.table.arn}/index/${expensesTable.byDateIndex.name}`],
      },
      { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [args.alertTopic.arn] },
    ];
    this.handler = new LambdaFunction('api', {
      codeDir: 'dist/lambda/api',
      description: 'Expenses, budgets and alerts HTTP API',
      memorySize: 512,
      timeout: API_TIMEOUT_SECONDS,
      logRetentionDays: args.logRetentionDays,
      environment,
      statements: [
        ...tableStatements,
        {
          // Email only: an HTTP, SQS, Lambda or SMS endpoint subscribed without a filter policy
          // would silently receive every user's alerts. IAM cannot require the filter policy, so
          // an inbox that confirms an unfiltered subscription still could: this narrows the gap.
          Sid: 'SubscribeEmailToAlertTopic',
          Effect: 'Allow',
          Action: ['sns:Subscribe'],
          Resource: [args.alertTopic.arn],
          Condition: { StringEquals: { 'sns:Protocol': 'email' } },
        },
        {
          // Unsubscribe is authorised on the subscription's topic; it takes no sns:Protocol or
          // sns:Endpoint condition, so the topic is as narrow as it gets.
          Sid: 'UnsubscribeFromAlertTopic',
          Effect: 'Allow',
          Action: ['sns:Unsubscribe'],
          Resource: [args.alertTopic.arn],
        },
      ],
    }, this);
    // Imports write expenses and month totals and deliver the alerts they raise; they never touch
    // the alert address's subscription.
    this.importsHandler = new LambdaFunction('imports', {
      codeDir: 'dist/lambda/imports',
      description: 'CSV imports: upload, preview, commit, undo',
      memorySize: IMPORTS_MEMORY_MB,
      timeout: API_TIMEOUT_SECONDS,
      logRetentionDays: args.logRetentionDays,
      environment,
      statements: tableStatements,
    }, this);

    const authorizer = new aws.apigatewayv2.Authorizer('cognito', {
      apiId: this.httpApi.id,
      authorizerType: 'JWT',
      name: 'cognito',
      identitySources: ['$request.header.Authorization'],
      jwtConfiguration: { issuer: args.jwtIssuer, audiences: [args.jwtAudience] },
    }, parent);

    const integrationOf = (name: string, fn: LambdaFunction) => new aws.apigatewayv2.Integration(name, {
      apiId: this.httpApi.id,
      integrationType: 'AWS_PROXY',
      integrationMethod: 'POST',
      integrationUri: fn.fn.arn,
      payloadFormatVersion: '2.0',
    }, parent);
    const integration = integrationOf('lambda', this.handler);
    const importsIntegration = integrationOf('imports-lambda', this.importsHandler);

    // An access token of the web client carrying the API's scope: the authorizer checks issuer and
    // client_id, the route the scope (an ID token, or a token without the scope, gets 403).
    const jwtAuthorization = { authorizationType: 'JWT', authorizerId: authorizer.id, authorizationScopes: [API_SCOPE] };
    this.routes = API_ROUTES.map((route) => new aws.apigatewayv2.Route(routeResourceName(route.routeKey), {
      apiId: this.httpApi.id,
      routeKey: route.routeKey,
      target: pulumi.interpolate`integrations/${(route.imports ? importsIntegration : integration).id}`,
      ...(route.public ? { authorizationType: 'NONE' } : jwtAuthorization),
    }, parent));

    const accessLogs = new aws.cloudwatch.LogGroup('api-access-logs', {
      namePrefix: `/aws/apigateway/${pulumi.getProject()}-${pulumi.getStack()}-`,
      retentionInDays: args.logRetentionDays,
    }, parent);

    this.stage = new aws.apigatewayv2.Stage('default', {
      apiId: this.httpApi.id,
      name: '$default',
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: args.throttleRateLimit,
        throttlingBurstLimit: args.throttleBurstLimit,
      },
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          responseLength: '$context.responseLength',
          latencyMs: '$context.responseLatency',
          integrationError: '$context.integrationErrorMessage',
          authorizerError: '$context.authorizer.error',
          userId: '$context.authorizer.claims.sub',
        }),
      },
    }, { parent: this, dependsOn: this.routes });

    // API Gateway may invoke the handlers, only from this API.
    for (const [name, fn] of [['api-invoke', this.handler], ['imports-invoke', this.importsHandler]] as const) {
      new aws.lambda.Permission(name, {
        action: 'lambda:InvokeFunction',
        function: fn.fn.name,
        principal: 'apigateway.amazonaws.com',
        sourceArn: pulumi.interpolate`${this.httpApi.executionArn}/*/*`,
      }, parent);
    }

    this.url = pulumi.interpolate`${this.httpApi.apiEndpoint}/api`;
    this.registerOutputs({ url: this.url });
  }
}

/** `GET /api/expenses/{id}` -> `route-get-api-expenses-id` (a stable, readable resource name). */
export function routeResourceName(routeKey: string): string {
  return `route-${routeKey.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}
