import * as pulumi from '@pulumi/pulumi';
import * as aws from '@pulumi/aws';

/**
 * Everything the program reads from stack configuration, read once. Every key, its type and its
 * default is also declared in Pulumi.yaml (`pulumi config` shows them); the defaults here must match.
 */
export interface StackConfig {
  /** AWS region (`aws:region`, or AWS_REGION when unset). */
  region: string;
  /** Folder holding the built web client; every file in it is uploaded to the site bucket. */
  siteDir: string;
  /** Origins besides the site's own that the API accepts (CORS) and the Hosted UI may redirect to. */
  allowedOrigins: string[];
  /** Operator address for CloudWatch alarm notifications; no subscription when empty. */
  alarmEmail: string | undefined;
  /** Deletion protection on the table and the user pool (turn off before `pulumi destroy`). */
  deletionProtection: boolean;
  /** Retention of the Lambda and API access log groups, in days. */
  logRetentionDays: number;
  /** Steady-state request rate (requests/second) allowed on the API stage. */
  apiThrottleRateLimit: number;
  /** Burst of requests allowed on the API stage. */
  apiThrottleBurstLimit: number;
  /** Hosted UI domain prefix; default `<project>-<stack>-<account id>` (globally unique per region). */
  authDomainPrefix: string | undefined;
  /** Whether visitors may create their own account in the Hosted UI (else an admin creates users). */
  allowSelfSignUp: boolean;
  /** CloudFront price class. */
  priceClass: string;
  /** The monthly report's sending address (an SES identity); no reports when unset. */
  reportSender: string | undefined;
  /** The SES account's sending rate, emails per second (14 is SES's usual first production quota; 1 in the sandbox). */
  reportSendRate: number;
}

export const defaults = {
  siteDir: 'client/dist',
  allowedOrigins: [] as string[],
  deletionProtection: true,
  logRetentionDays: 30,
  apiThrottleRateLimit: 20,
  apiThrottleBurstLimit: 40,
  allowSelfSignUp: false,
  priceClass: 'PriceClass_100',
  reportSendRate: 14,
} as const;

/** The values CloudWatch Logs accepts for retentionInDays. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];

export function loadConfig(): StackConfig {
  const config = new pulumi.Config();
  const region = aws.config.region;
  if (!region) {
    throw new Error('No AWS region: run `pulumi config set aws:region <region>` (or set AWS_REGION).');
  }

  const allowedOrigins = config.getObject<string[]>('allowedOrigins') ?? [...defaults.allowedOrigins];
  for (const origin of allowedOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`allowedOrigins: "${origin}" is not an origin (scheme://host[:port], no path, no trailing slash)`);
    }
  }

  const logRetentionDays = config.getNumber('logRetentionDays') ?? defaults.logRetentionDays;
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    throw new Error(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const reportSender = config.get('reportSender') || undefined;
  if (reportSender !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(reportSender)) {
    throw new Error(`reportSender: "${reportSender}" is not an email address (the report's From; SES must verify it or its domain)`);
  }
  const reportSendRate = config.getNumber('reportSendRate') ?? defaults.reportSendRate;
  if (!Number.isInteger(reportSendRate) || reportSendRate < 1) throw new Error('reportSendRate must be a whole number of emails per second, at least 1');

  const priceClass = config.get('priceClass') ?? defaults.priceClass;
  if (!PRICE_CLASSES.includes(priceClass)) {
    throw new Error(`priceClass must be one of ${PRICE_CLASSES.join(', ')}`);
  }

  const authDomainPrefix = config.get('authDomainPrefix') || undefined;
  if (authDomainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(authDomainPrefix)) {
    throw new Error('authDomainPrefix: lowercase letters, digits and hyphens only, at most 63 characters');
  }
  if (authDomainPrefix !== undefined && /aws|amazon|cognito/.test(authDomainPrefix)) {
    throw new Error('authDomainPrefix must not contain "aws", "amazon" or "cognito" (Cognito rejects it)');
  }

  return {
    region,
    siteDir: config.get('siteDir') || defaults.siteDir,
    allowedOrigins,
    alarmEmail: config.get('alarmEmail') || undefined,
    deletionProtection: config.getBoolean('deletionProtection') ?? defaults.deletionProtection,
    logRetentionDays,
    apiThrottleRateLimit: config.getNumber('apiThrottleRateLimit') ?? defaults.apiThrottleRateLimit,
    apiThrottleBurstLimit: config.getNumber('apiThrottleBurstLimit') ?? defaults.apiThrottleBurstLimit,
    authDomainPrefix,
    allowSelfSignUp: config.getBoolean('allowSelfSignUp') ?? defaults.allowSelfSignUp,
    priceClass,
    reportSender,
    reportSendRate,
  };
}
