import type { AlertSubscription, Logger, Notifier } from '../../application/ports.js';
import { describeAlert, type Alert } from '../../domain/alert.js';

/**
 * The local stack's notifier: writes each alert to the log, and passes it on to a real notifier
 * (SNS at SNS_ENDPOINT) when one is configured.
 */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger, private readonly next: Notifier | null) {}

  async publish(alert: Alert, to: { userId: string; recipient: string; currency: string }): Promise<void> {
    await this.next?.publish(alert, to);
    this.logger.info('alert', { userId: to.userId, ...describeAlert(alert, to.currency) });
  }

  async subscribe(userId: string, email: string): Promise<AlertSubscription> {
    const subscription = this.next ? await this.next.subscribe(userId, email) : { email, subscriptionArn: `log:${email}`, recipient: userId };
    this.logger.info('alert email subscribed', { userId, email });
    return subscription;
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    await this.next?.unsubscribe(subscriptionArn);
    this.logger.info('alert email unsubscribed', { subscriptionArn });
  }
}
