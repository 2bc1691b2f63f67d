/**
 * How long one AWS SDK call may take before it fails. `requestTimeout` only aborts a request when
 * `throwOnRequestTimeout` is set (otherwise @smithy/node-http-handler merely logs a warning and a
 * silent endpoint holds the request until Lambda kills it), so both clients set it. The Lambda
 * timeouts in infra/ are sized from these figures.
 */
export interface SdkDeadline {
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** Attempts in all, first try included (the SDK retries throttling, 5xx and timeouts). */
  maxAttempts: number;
}

/** DynamoDB answers in milliseconds; a request still open after 700 ms is stuck, not slow. */
export const DYNAMODB_DEADLINE: SdkDeadline = { connectionTimeoutMs: 300, requestTimeoutMs: 700, maxAttempts: 2 };
export const SNS_DEADLINE: SdkDeadline = { connectionTimeoutMs: 300, requestTimeoutMs: 1500, maxAttempts: 2 };
/** DynamoDB Local is a JVM on a laptop or a busy CI machine: garbage collection can pause it for seconds. */
export const LOCAL_DYNAMODB_DEADLINE: SdkDeadline = { connectionTimeoutMs: 1000, requestTimeoutMs: 5000, maxAttempts: 3 };

/** The SDK's standard retry waits up to base x 2^i before retry i; throttling has the larger base. */
const THROTTLING_BACKOFF_BASE_MS = 500;

/** The longest one call can take before it throws: every attempt timing out, plus the longest waits between them. */
export function worstCaseMs(deadline: SdkDeadline): number {
  const waits = THROTTLING_BACKOFF_BASE_MS * (2 ** (deadline.maxAttempts - 1) - 1);
  return deadline.maxAttempts * (deadline.connectionTimeoutMs + deadline.requestTimeoutMs) + waits;
}

/** The SDK client options that enforce a deadline. */
export function requestHandlerOptions(deadline: SdkDeadline) {
  return {
    connectionTimeout: deadline.connectionTimeoutMs,
    requestTimeout: deadline.requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/** SES takes a whole message: a little longer per attempt than SNS. */
export const SES_DEADLINE: SdkDeadline = { connectionTimeoutMs: 300, requestTimeoutMs: 3000, maxAttempts: 3 };
