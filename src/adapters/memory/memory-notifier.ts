import { injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import { AlertEmailTakenError } from '../../domain/errors.js';
import type { AlertSubscription, Notifier } from '../../application/ports.js';

interface Subscription extends AlertSubscription { userId: string }

/**
 * Behaves as the SNS topic does for this product (one subscription per address, a filter on user
 * and recipient) and records what was sent; `failing` simulates an outage. For tests.
 */
@injectable()
export class InMemoryNotifier implements Notifier {
  readonly published: { userId: string; alert: Alert; currency: string; recipient: string; deliveredTo: string[] }[] = [];
  readonly subscriptions: Subscription[] = [];
  /** How many times SNS would have emailed each address a confirmation. */
  readonly confirmationsSent = new Map<string, number>();
  failing = false;
  private sequence = 0;

  async publish(alert: Alert, to: { userId: string; recipient: string; currency: string }): Promise<void> {
    if (this.failing) throw new Error('notifier unavailable');
    const deliveredTo = this.subscriptions.filter((s) => s.userId === to.userId && s.recipient === to.recipient).map((s) => s.email);
    this.published.push({ userId: to.userId, alert: structuredClone(alert), currency: to.currency, recipient: to.recipient, deliveredTo });
  }

  async subscribe(userId: string, email: string): Promise<AlertSubscription> {
    if (this.failing) throw new Error('notifier unavailable');
    const recipient = `${userId}/${email}`;
    const existing = this.subscriptions.find((s) => s.email === email);
    if (existing && existing.userId !== userId) throw new AlertEmailTakenError();
    this.confirmationsSent.set(email, (this.confirmationsSent.get(email) ?? 0) + 1);
    if (existing) return { email, subscriptionArn: existing.subscriptionArn, recipient: existing.recipient };
    const subscription = { userId, email, subscriptionArn: `arn:memory:sns:alerts:${++this.sequence}`, recipient };
    this.subscriptions.push(subscription);
    return { email, subscriptionArn: subscription.subscriptionArn, recipient };
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    if (this.failing) throw new Error('notifier unavailable');
    const index = this.subscriptions.findIndex((s) => s.subscriptionArn === subscriptionArn);
    if (index >= 0) this.subscriptions.splice(index, 1);
  }
}
