import type { Context, ScheduledEvent } from 'aws-lambda';
import { DYNAMODB_DEADLINE, SNS_DEADLINE, worstCaseMs } from '../../adapters/sdk-deadlines.js';
import { QueueDueReports } from '../../application/use-cases/monthly-reports.js';
import { lambdaConfig } from '../../composition/wiring.js';
import { reportsLambdaContainer } from '../../composition/reports.js';

// Every hour (EventBridge): the users whose monthly report is due, held and queued for the senders.
const queueDue = reportsLambdaContainer(lambdaConfig(process.env)).get(QueueDueReports);

/** No page starts once less than one page's worst case is left: its 16 index queries, its holds (in parallel) and 50 queue batches. */
const ONE_PAGE_WORST_MS = 2 * worstCaseMs(DYNAMODB_DEADLINE) + 50 * worstCaseMs(SNS_DEADLINE);

export const handler = async (_event: ScheduledEvent, context?: Context) => {
  const deadline = new Date(Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - ONE_PAGE_WORST_MS);
  return queueDue.execute(deadline);
};
