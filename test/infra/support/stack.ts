/**
 * Runs the Pulumi program (index.ts) once per test process under `pulumi.runtime.setMocks` and records
 * every resource it registers with its inputs. Every infra spec file awaits `loadStack()`: the program
 * module is imported once, so all specs see the same registrations.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';

export const PROJECT = 'budget-alerts';
export const STACK = 'test';
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const EXTRA_ORIGIN = 'http://localhost:5173';
export const ALARM_EMAIL = 'ops@example.com';

/** Physical values the mock provider hands back, so assertions can name exact ARNs. */
export const mock = {
  tableName: 'expenses-mock',
  tableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/expenses-mock`,
  streamArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/expenses-mock/stream/2026-01-01T00:00:00.000`,
  topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:alerts-mock`,
  alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:alarms-mock`,
  dlqArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:alert-delivery-dlq-mock`,
  dlqUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/alert-delivery-dlq-mock`,
  reportTokenSecret: 'mock-report-token-secret',
  reportSender: 'reports@example.com',
  logGroupArn: (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`,
  apiId: 'a1b2c3d4e5',
  apiEndpoint: `https://a1b2c3d4e5.execute-api.${REGION}.amazonaws.com`,
  apiExecutionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5`,
  authorizerId: 'jwtauth1',
  integrationId: 'integ01',
  userPoolId: `${REGION}_TestPool1`,
  clientId: 'testclientid0123456789',
  bucketName: 'site-mock-bucket',
  bucketArn: 'arn:aws:s3:::site-mock-bucket',
  distributionId: 'E2MOCKDIST',
  distributionArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E2MOCKDIST`,
  distributionDomain: 'd111111abcdef8.cloudfront.net',
  oacId: 'E3MOCKOAC',
  siteUrl: 'https://d111111abcdef8.cloudfront.net',
};

export interface Registered {
  type: string;
  name: string;
  custom: boolean;
  id: string;
  inputs: Record<string, any>;
  state: Record<string, any>;
}

/** Files of the fake client build the program uploads: key -> content. */
export const SITE_FIXTURE: Record<string, string> = {
  'index.html': '<!doctype html><title>Budget</title><script type="module" src="/assets/app-3f2a9c.js"></script>',
  'assets/app-3f2a9c.js': 'console.log("app")',
  'assets/app-7d1e0b.css': 'body{margin:0}',
  'assets/logo-9a8b7c6d.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'favicon.ico': '\u0000',
  'manifest.webmanifest': '{}',
  // A stale config.json in the build must not be uploaded: the stack generates it.
  'config.json': '{"apiBaseUrl":"http://localhost:3000/api"}',
};

function physical(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
  const base = { ...inputs };
  switch (type) {
    case 'aws:dynamodb/table:Table':
      return { id: mock.tableName, state: { ...base, name: mock.tableName, arn: mock.tableArn, streamArn: mock.streamArn } };
    case 'aws:sns/topic:Topic': {
      const arn = name === 'alerts' ? mock.topicArn : name === 'alarms' ? mock.alarmTopicArn : `arn:aws:sns:${REGION}:${ACCOUNT}:${name}-mock`;
      return { id: arn, state: { ...base, name: `${name}-mock`, arn } };
    }
    case 'aws:sqs/queue:Queue': {
      const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}-mock`;
      const url = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}-mock`;
      return { id: url, state: { ...base, name: `${name}-mock`, arn, url } };
    }
    case 'random:index/randomPassword:RandomPassword':
      return { id: `${name}-id`, state: { ...base, result: mock.reportTokenSecret } };
    case 'aws:sesv2/emailIdentity:EmailIdentity':
      return { id: inputs.emailIdentity, state: { ...base, arn: `arn:aws:ses:${REGION}:${ACCOUNT}:identity/${inputs.emailIdentity}` } };
    case 'aws:sesv2/configurationSet:ConfigurationSet':
      return { id: inputs.configurationSetName, state: { ...base, arn: `arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/${inputs.configurationSetName}` } };
    case 'aws:cloudwatch/logGroup:LogGroup': {
      const logName = inputs.name ?? `${inputs.namePrefix ?? `${name}-`}mock`;
      return { id: logName, state: { ...base, name: logName, arn: mock.logGroupArn(logName) } };
    }
    case 'aws:iam/role:Role':
      return { id: `${name}-mock`, state: { ...base, name: `${name}-mock`, arn: `arn:aws:iam::${ACCOUNT}:role/${name}-mock` } };
    case 'aws:lambda/function:Function': {
      const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}-mock`;
      return {
        id: `${name}-mock`,
        state: {
          ...base, name: `${name}-mock`, arn,
          invokeArn: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        },
      };
    }
    case 'aws:apigatewayv2/api:Api':
      return { id: mock.apiId, state: { ...base, apiEndpoint: mock.apiEndpoint, executionArn: mock.apiExecutionArn } };
    case 'aws:apigatewayv2/authorizer:Authorizer':
      return { id: mock.authorizerId, state: base };
    case 'aws:apigatewayv2/integration:Integration':
      // One integration per function: the API Lambda's keeps the plain id.
      return { id: name === 'lambda' ? mock.integrationId : `${mock.integrationId}-${name}`, state: base };
    case 'aws:cognito/userPool:UserPool':
      return {
        id: mock.userPoolId,
        state: {
          ...base,
          arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${mock.userPoolId}`,
          endpoint: `cognito-idp.${REGION}.amazonaws.com/${mock.userPoolId}`,
        },
      };
    case 'aws:cognito/userPoolClient:UserPoolClient':
      return { id: mock.clientId, state: base };
    case 'aws:s3/bucket:Bucket':
      return {
        id: mock.bucketName,
        state: {
          ...base, bucket: mock.bucketName, arn: mock.bucketArn,
          bucketRegionalDomainName: `${mock.bucketName}.s3.${REGION}.amazonaws.com`,
        },
      };
    case 'aws:cloudfront/distribution:Distribution':
      return { id: mock.distributionId, state: { ...base, arn: mock.distributionArn, domainName: mock.distributionDomain } };
    case 'aws:cloudfront/originAccessControl:OriginAccessControl':
      return { id: mock.oacId, state: base };
    default:
      return { id: `${name}-id`, state: { ...base, arn: `arn:aws:mock:${REGION}:${ACCOUNT}:${name}` } };
  }
}

export interface LoadedStack {
  resources: Registered[];
  outputs: Record<string, unknown>;
  siteDir: string;
  /** Custom resources of a type (e.g. 'aws:iam/rolePolicy:RolePolicy'). */
  ofType(type: string): Registered[];
  /** The one custom resource of that type and logical name; throws when absent. */
  one(type: string, name: string): Registered;
}

let loading: Promise<LoadedStack> | undefined;

export function loadStack(): Promise<LoadedStack> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedStack> {
  const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-site-'));
  for (const [key, content] of Object.entries(SITE_FIXTURE)) {
    fs.mkdirSync(path.dirname(path.join(siteDir, key)), { recursive: true });
    fs.writeFileSync(path.join(siteDir, key), content);
  }

  const resources: Registered[] = [];
  await pulumi.runtime.setMocks({
    newResource(args: pulumi.runtime.MockResourceArgs) {
      const { id, state } = physical(args.type, args.name, args.inputs);
      resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, id, inputs: args.inputs, state });
      return { id, state };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      if (args.token === 'aws:index/getCallerIdentity:getCallerIdentity') {
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: 'AIDTEST', id: ACCOUNT };
      }
      if (args.token === 'aws:index/getRegion:getRegion') return { region: REGION, name: REGION, id: REGION };
      return args.inputs;
    },
  }, PROJECT, STACK, false);

  pulumi.runtime.setConfig('aws:region', REGION);
  pulumi.runtime.setConfig(`${PROJECT}:siteDir`, siteDir);
  pulumi.runtime.setConfig(`${PROJECT}:allowedOrigins`, JSON.stringify([EXTRA_ORIGIN]));
  pulumi.runtime.setConfig(`${PROJECT}:alarmEmail`, ALARM_EMAIL);
  pulumi.runtime.setConfig(`${PROJECT}:deletionProtection`, 'true');
  pulumi.runtime.setConfig(`${PROJECT}:reportSender`, mock.reportSender);

  const program: Record<string, unknown> = await import('../../../index.js');
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(program)) {
    outputs[key] = pulumi.Output.isInstance(value) ? await new Promise((resolve) => value.apply(resolve)) : value;
  }
  // Registrations wait for their inputs; drain the runtime's RPC queue so every one has reached the mock.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  // The program listed the files when it ran; file assets are only read on a real `pulumi up`.
  fs.rmSync(siteDir, { recursive: true, force: true });

  const ofType = (type: string) => resources.filter((r) => r.custom && r.type === type);
  return {
    resources,
    outputs,
    siteDir,
    ofType,
    one(type: string, name: string) {
      const found = ofType(type).filter((r) => r.name === name);
      if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
      return found[0];
    },
  };
}

/** Parses a JSON policy document input (string) into an object. */
export function parsePolicy(policy: unknown): { Version: string; Statement: any[] } {
  if (typeof policy !== 'string') throw new Error(`policy is not a string: ${JSON.stringify(policy)}`);
  return JSON.parse(policy);
}
