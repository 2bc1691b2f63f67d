import type { DynamoDBStreamEvent, ScheduledEvent } from 'aws-lambda';
import { createAlertStreamHandler } from '../../adapters/dynamodb/alert-stream-handler.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { createContainer, lambdaConfig } from '../../composition-root.js';

// Two triggers: the table's stream (new pending alert items, filtered by the event-source mapping)
// delivers at once what the API could not; a schedule runs the retry pass for alerts whose next
// attempt (after a failed one) is due.
const container = createContainer(lambdaConfig(process.env));
const deliverAlerts = container.get(DeliverAlerts);
const onStream = createAlertStreamHandler(deliverAlerts, container.get(TOKENS.Logger));

export const handler = async (event: DynamoDBStreamEvent | ScheduledEvent) => {
  if ('Records' in event) return onStream(event);
  const results = await deliverAlerts.retryDue();
  return { attempted: results.length, sent: results.filter((alert) => alert.delivery === 'sent').length };
};
