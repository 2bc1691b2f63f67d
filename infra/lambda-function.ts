import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

/** One IAM policy statement; resources are ARNs, never guessed wildcards. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: pulumi.Input<string>[];
  /** Narrows the grant by request context, e.g. `{ StringEquals: { 'sns:Protocol': 'email' } }`. */
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Serialises statements into an IAM policy document once every ARN is known. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}

export const lambdaAssumeRolePolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
});

export interface LambdaFunctionArgs {
  /** Folder of the esbuild bundle (`index.mjs` exporting `handler`). */
  codeDir: string;
  description: string;
  memorySize: number;
  timeout: number;
  logRetentionDays: number;
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** What the function calls besides writing its own logs. */
  statements: PolicyStatement[];
  /** Caps (and reserves) the function's concurrent instances. */
  reservedConcurrentExecutions?: number;
}

export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS22dX;
export const LAMBDA_ARCHITECTURE = 'arm64';

/**
 * A Lambda function with its own role, its own log group (with retention) and one inline policy:
 * the caller's statements plus writing to that log group. The role gets no managed policy, so
 * AWSLambdaBasicExecutionRole's `logs:*` on `*` never applies.
 */
export class LambdaFunction {
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly policy: aws.iam.RolePolicy;
  readonly fn: aws.lambda.Function;

  constructor(name: string, args: LambdaFunctionArgs, parent: pulumi.Resource) {
    const opts = { parent };
    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      namePrefix: `/aws/lambda/${pulumi.getProject()}-${pulumi.getStack()}-${name}-`,
      retentionInDays: args.logRetentionDays,
    }, opts);

    this.role = new aws.iam.Role(`${name}-role`, {
      description: `Execution role of the ${name} Lambda`,
      assumeRolePolicy: lambdaAssumeRolePolicy,
    }, opts);

    this.policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: this.role.id,
      policy: policyDocument([
        ...args.statements,
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [pulumi.interpolate`${this.logGroup.arn}:*`],
        },
      ]),
    }, opts);

    this.fn = new aws.lambda.Function(name, {
      description: args.description,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: 'index.handler',
      code: new pulumi.asset.FileArchive(args.codeDir),
      role: this.role.arn,
      memorySize: args.memorySize,
      timeout: args.timeout,
      environment: { variables: args.environment },
      ...(args.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrentExecutions } : {}),
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
    }, { parent, dependsOn: [this.policy] });
  }
}

/**
 * An EventBridge rule that invokes `target` on `scheduleExpression`: the rule `<name>`, the
 * permission `<name>-invoke` (only this rule may invoke the function) and the target `<name>-target`.
 */
export function scheduleLambda(name: string, target: LambdaFunction, scheduleExpression: string, description: string, parent: pulumi.Resource): aws.cloudwatch.EventRule {
  const rule = new aws.cloudwatch.EventRule(name, { description, scheduleExpression }, { parent });
  const invoke = new aws.lambda.Permission(`${name}-invoke`, {
    action: 'lambda:InvokeFunction',
    function: target.fn.name,
    principal: 'events.amazonaws.com',
    sourceArn: rule.arn,
  }, { parent });
  new aws.cloudwatch.EventTarget(`${name}-target`, { rule: rule.name, arn: target.fn.arn }, { parent, dependsOn: [invoke] });
  return rule;
}
