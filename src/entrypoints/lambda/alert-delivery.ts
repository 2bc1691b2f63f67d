import type { Context, DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { createAlertStreamHandler } from '../../adapters/dynamodb/alert-stream-handler.js';
import { DYNAMODB_DEADLINE, SNS_DEADLINE, worstCaseMs } from '../../adapters/sdk-deadlines.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { UnsubscribeStaleAddresses } from '../../application/use-cases/unsubscribe-stale-addresses.js';
import { lambdaConfig, lambdaContainer } from '../../composition/wiring.js';

// Two triggers: the table's stream (new pending alert items, filtered by the event-source mapping)
// delivers at once what the API could not; a schedule runs the retry passes for alerts whose next
// attempt is due and for subscriptions of abandoned addresses still to be ended.
const container = lambdaContainer(lambdaConfig(process.env));
const deliverAlerts = container.get(DeliverAlerts);
const unsubscribeStale = container.get(UnsubscribeStaleAddresses);
const onStream = createAlertStreamHandler(deliverAlerts, container.get(TOKENS.Logger));

/** A pass starts no new item once less than one item's worst case (claim, publish, settle) is left. */
const ONE_ITEM_WORST_MS = 3 * worstCaseMs(DYNAMODB_DEADLINE) + worstCaseMs(SNS_DEADLINE);

export const handler = async (event: DynamoDBStreamEvent | ScheduledEvent, context?: Context) => {
  if ('Records' in event) return onStream(event);
  const deadline = new Date(Date.now() + (context?.getRemainingTimeInMillis() ?? 60_000) - ONE_ITEM_WORST_MS);
  const results = await deliverAlerts.retryDue(deadline);
  const unsubscribed = await unsubscribeStale.retryDue(deadline);
  return { attempted: results.length, sent: results.filter((alert) => alert.delivery === 'sent').length, unsubscribed };
};
