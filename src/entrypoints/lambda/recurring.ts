import type { Context, ScheduledEvent } from 'aws-lambda';
import { DYNAMODB_DEADLINE, SNS_DEADLINE, worstCaseMs } from '../../adapters/sdk-deadlines.js';
import { RunDueRecurrences } from '../../application/use-cases/run-recurrences.js';
import { lambdaConfig, lambdaContainer } from '../../composition/wiring.js';

// Every 15 minutes (EventBridge): the recurring expenses whose next occurrence's day has begun.
const runDue = lambdaContainer(lambdaConfig(process.env)).get(RunDueRecurrences);

/**
 * No occurrence starts once less than one's worst case is left: its 5 DynamoDB calls (recurrence,
 * budget, month, categories, commit), then delivering an alert it raised (3 more and a publish).
 */
const ONE_OCCURRENCE_WORST_MS = 8 * worstCaseMs(DYNAMODB_DEADLINE) + worstCaseMs(SNS_DEADLINE);

export const handler = async (_event: ScheduledEvent, context?: Context) => {
  const deadline = new Date(Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - ONE_OCCURRENCE_WORST_MS);
  return runDue.execute(deadline);
};
