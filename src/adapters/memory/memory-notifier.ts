import { injectable } from 'inversify';
import type { Alert } from '../../domain/alert.js';
import type { Notifier } from '../../application/ports.js';

/** Records what would be sent; `failing` simulates an outage. For tests. */
@injectable()
export class InMemoryNotifier implements Notifier {
  readonly published: { userId: string; alert: Alert; currency: string }[] = [];
  readonly subscriptions: { userId: string; email: string }[] = [];
  failing = false;

  async publish(userId: string, alert: Alert, currency: string): Promise<void> {
    if (this.failing) throw new Error('notifier unavailable');
    this.published.push({ userId, alert: structuredClone(alert), currency });
  }

  async subscribe(userId: string, email: string): Promise<void> {
    if (this.failing) throw new Error('notifier unavailable');
    if (!this.subscriptions.some((s) => s.userId === userId && s.email === email)) this.subscriptions.push({ userId, email });
  }
}
