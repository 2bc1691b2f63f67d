import { expect } from 'chai';
import { loadStack, mock, parsePolicy, PROJECT, STACK, type LoadedStack } from './support/stack.js';

const apiLogGroup = `/aws/lambda/${PROJECT}-${STACK}-api-mock`;
const deliveryLogGroup = `/aws/lambda/${PROJECT}-${STACK}-alert-delivery-mock`;

describe('infra: IAM (least privilege)', () => {
  let stack: LoadedStack;
  before(async () => {
    stack = await loadStack();
  });

  const policyOf = (name: string) => parsePolicy(stack.one('aws:iam/rolePolicy:RolePolicy', name).inputs.policy);

  it('gives each Lambda its own role, trusted only by the Lambda service', () => {
    const roles = stack.ofType('aws:iam/role:Role');
    expect(roles.map((r) => r.name).sort()).to.deep.equal(['alert-delivery-role', 'api-role', 'imports-role', 'recurring-role', 'report-scheduler-role', 'report-sender-role']);
    for (const role of roles) {
      expect(parsePolicy(role.inputs.assumeRolePolicy)).to.deep.equal({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
      expect(role.inputs.managedPolicyArns ?? []).to.deep.equal([]);
    }
    const fnRole = (name: string) => stack.one('aws:lambda/function:Function', name).inputs.role;
    expect(fnRole('api')).to.equal('arn:aws:iam::123456789012:role/api-role-mock');
    expect(fnRole('alert-delivery')).to.equal('arn:aws:iam::123456789012:role/alert-delivery-role-mock');
    expect(fnRole('imports')).to.equal('arn:aws:iam::123456789012:role/imports-role-mock');
  });

  it('attaches one inline policy per role and no managed policy', () => {
    const policies = stack.ofType('aws:iam/rolePolicy:RolePolicy');
    expect(policies.map((p) => [p.name, p.inputs.role]).sort()).to.deep.equal([
      ['alert-delivery-policy', 'alert-delivery-role-mock'],
      ['api-policy', 'api-role-mock'],
      ['imports-policy', 'imports-role-mock'],
      ['recurring-policy', 'recurring-role-mock'],
      ['report-scheduler-policy', 'report-scheduler-role-mock'],
      ['report-sender-policy', 'report-sender-role-mock'],
    ]);
    expect(stack.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment')).to.have.length(0);
    expect(stack.ofType('aws:iam/policyAttachment:PolicyAttachment')).to.have.length(0);
  });

  /** What the API and the imports Lambdas both do on the table and the alert topic. */
  const expensesStatements = () => [
    {
      Sid: 'ReadWriteExpensesTable',
      Effect: 'Allow',
      Action: [
        'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem',
        'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem',
      ],
      Resource: [mock.tableArn],
    },
    { Sid: 'QueryByDateIndex', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${mock.tableArn}/index/by_date`] },
    { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [mock.topicArn] },
  ];

  it('lets the API Lambda do exactly what it calls, on exactly its table, index, topic and log group', () => {
    expect(policyOf('api-policy')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        ...expensesStatements(),
        {
          Sid: 'SubscribeEmailToAlertTopic',
          Effect: 'Allow',
          Action: ['sns:Subscribe'],
          Resource: [mock.topicArn],
          Condition: { StringEquals: { 'sns:Protocol': 'email' } },
        },
        { Sid: 'UnsubscribeFromAlertTopic', Effect: 'Allow', Action: ['sns:Unsubscribe'], Resource: [mock.topicArn] },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${mock.logGroupArn(apiLogGroup)}:*`],
        },
      ],
    });
  });

  it('lets the imports Lambda read and write the table and publish alerts, and nothing about subscriptions', () => {
    expect(policyOf('imports-policy')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        ...expensesStatements(),
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${mock.logGroupArn(`/aws/lambda/${PROJECT}-${STACK}-imports-mock`)}:*`],
        },
      ],
    });
  });

  it('lets the recurring run read and write the table, find what is due in the due-work index and publish alerts, nothing more', () => {
    expect(policyOf('recurring-policy')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadWriteExpensesTable', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: [mock.tableArn] },
        { Sid: 'QueryDueRecurrences', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${mock.tableArn}/index/pending_alerts`] },
        { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [mock.topicArn] },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${mock.logGroupArn(`/aws/lambda/${PROJECT}-${STACK}-recurring-mock`)}:*`],
        },
      ],
    });
  });

  it('lets the alert-delivery Lambda do exactly what it calls, on exactly its table, stream, topic, queue and log group', () => {
    expect(policyOf('alert-delivery-policy')).to.deep.equal({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadWriteExpensesTable',
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
          Resource: [mock.tableArn],
        },
        { Sid: 'QueryDueAlerts', Effect: 'Allow', Action: ['dynamodb:Query'], Resource: [`${mock.tableArn}/index/pending_alerts`] },
        { Sid: 'PublishAlertTopic', Effect: 'Allow', Action: ['sns:Publish'], Resource: [mock.topicArn] },
        { Sid: 'UnsubscribeFromAlertTopic', Effect: 'Allow', Action: ['sns:Unsubscribe'], Resource: [mock.topicArn] },
        {
          Sid: 'ReadTableStream',
          Effect: 'Allow',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: [mock.streamArn],
        },
        { Sid: 'ListStreams', Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: ['*'] },
        { Sid: 'SendFailedBatchesToDeadLetterQueue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [mock.dlqArn] },
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${mock.logGroupArn(deliveryLogGroup)}:*`],
        },
      ],
    });
  });

  it('has no wildcard action and no "*" resource except dynamodb:ListStreams, which AWS cannot scope', () => {
    for (const policy of stack.ofType('aws:iam/rolePolicy:RolePolicy')) {
      for (const statement of parsePolicy(policy.inputs.policy).Statement) {
        expect(statement.Effect).to.equal('Allow');
        expect(statement).to.not.have.property('NotAction');
        expect(statement).to.not.have.property('NotResource');
        for (const action of statement.Action) expect(action, policy.name).to.not.include('*');
        for (const resource of statement.Resource) {
          if (resource === '*') expect(statement.Action, policy.name).to.deep.equal(['dynamodb:ListStreams']);
          else expect(resource, `${policy.name} ${statement.Sid}`).to.match(/^arn:aws:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/);
        }
      }
    }
  });

  it('creates no IAM user, access key or group anywhere', () => {
    const iamTypes = stack.resources.filter((r) => r.type.startsWith('aws:iam/')).map((r) => r.type);
    expect([...new Set(iamTypes)].sort()).to.deep.equal(['aws:iam/role:Role', 'aws:iam/rolePolicy:RolePolicy']);
  });

  it('lets only this API invoke the API and imports Lambdas, and only their schedules invoke the alert-delivery, recurring and report-scheduler Lambdas', () => {
    const permissions = stack.ofType('aws:lambda/permission:Permission').map((p) => p.inputs);
    expect(permissions).to.have.length(5);
    expect(permissions.find((p) => p.function === 'report-scheduler-mock')).to.include({
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      sourceArn: `arn:aws:mock:${mock.tableArn.split(':')[3]}:${mock.tableArn.split(':')[4]}:report-due`,
    });
    expect(permissions.find((p) => p.function === 'recurring-mock')).to.include({
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      sourceArn: `arn:aws:mock:${mock.tableArn.split(':')[3]}:${mock.tableArn.split(':')[4]}:recurring-run`,
    });
    const fromApi = permissions.filter((p) => p.principal === 'apigateway.amazonaws.com');
    expect(fromApi.map((p) => p.function).sort()).to.deep.equal(['api-mock', 'imports-mock']);
    for (const permission of fromApi) expect(permission).to.include({ action: 'lambda:InvokeFunction', sourceArn: `${mock.apiExecutionArn}/*/*` });
    expect(permissions.find((p) => p.principal === 'events.amazonaws.com' && p.function === 'alert-delivery-mock')).to.include({
      action: 'lambda:InvokeFunction',
      function: 'alert-delivery-mock',
      sourceArn: `arn:aws:mock:${mock.tableArn.split(':')[3]}:${mock.tableArn.split(':')[4]}:alert-retry`,
    });
  });

  it('runs the alert retry pass on a five-minute schedule that targets the alert-delivery Lambda', () => {
    expect(stack.one('aws:cloudwatch/eventRule:EventRule', 'alert-retry').inputs.scheduleExpression).to.equal('rate(5 minutes)');
    const target = stack.one('aws:cloudwatch/eventTarget:EventTarget', 'alert-retry-target').inputs;
    expect(target.arn).to.equal(`arn:aws:lambda:${mock.tableArn.split(':')[3]}:${mock.tableArn.split(':')[4]}:function:alert-delivery-mock`);
  });

  it('runs the recurring expenses every 15 minutes, targeting the recurring Lambda', () => {
    expect(stack.one('aws:cloudwatch/eventRule:EventRule', 'recurring-run').inputs.scheduleExpression).to.equal('rate(15 minutes)');
    const target = stack.one('aws:cloudwatch/eventTarget:EventTarget', 'recurring-run-target').inputs;
    expect(target.arn).to.equal(`arn:aws:lambda:${mock.tableArn.split(':')[3]}:${mock.tableArn.split(':')[4]}:function:recurring-mock`);
  });
});
