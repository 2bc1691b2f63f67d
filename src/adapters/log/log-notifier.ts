import type { Logger, Notifier } from '../../application/ports.js';
import { describeAlert, type Alert } from '../../domain/alert.js';

/**
 * The local stack's notifier: writes each alert to the log, and passes it on to a real notifier
 * (SNS at SNS_ENDPOINT) when one is configured.
 */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger, private readonly next: Notifier | null) {}

  async publish(userId: string, alert: Alert, currency: string): Promise<void> {
    await this.next?.publish(userId, alert, currency);
    this.logger.info('alert', { userId, ...describeAlert(alert, currency) });
  }

  async subscribe(userId: string, email: string): Promise<void> {
    await this.next?.subscribe(userId, email);
    this.logger.info('alert email subscribed', { userId, email });
  }
}
