import { createAlertStreamHandler } from '../../adapters/dynamodb/alert-stream-handler.js';
import { TOKENS } from '../../application/ports.js';
import { DeliverAlerts } from '../../application/use-cases/deliver-alerts.js';
import { createContainer, lambdaConfig } from '../../composition-root.js';

// Triggered by the table's stream (filtered to pending alert items by the event-source mapping).
const container = createContainer(lambdaConfig(process.env));
export const handler = createAlertStreamHandler(container.get(DeliverAlerts), container.get(TOKENS.Logger));
