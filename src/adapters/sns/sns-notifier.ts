import { createHash } from 'node:crypto';
import { PublishCommand, SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { inject, injectable } from 'inversify';
import { DependencyUnavailableError, type AlertSubscription, type Notifier } from '../../application/ports.js';
import { describeAlert, type Alert } from '../../domain/alert.js';
import { AlertEmailTakenError } from '../../domain/errors.js';

export const SNS_TOKENS = {
  Client: Symbol.for('SNSClient'),
  TopicArn: Symbol.for('AlertTopicArn'),
};

/**
 * Alerts go to one SNS topic. Each message carries the user id and a recipient token as message
 * attributes, and each email subscription's filter requires both: a person receives only their
 * own alerts, and only at the address they set last (a subscription of an earlier address has
 * another token, so it matches nothing even before it is unsubscribed).
 */
@injectable()
export class SnsNotifier implements Notifier {
  constructor(
    @inject(SNS_TOKENS.Client) private readonly client: SNSClient,
    @inject(SNS_TOKENS.TopicArn) private readonly topicArn: string,
  ) {}

  async publish(alert: Alert, to: { userId: string; recipient: string; currency: string }): Promise<void> {
    const { subject, body } = describeAlert(alert, to.currency);
    await this.client.send(new PublishCommand({
      TopicArn: this.topicArn,
      Subject: subject,
      Message: body,
      MessageAttributes: {
        userId: { DataType: 'String', StringValue: to.userId },
        recipient: { DataType: 'String', StringValue: to.recipient },
        month: { DataType: 'String', StringValue: alert.month },
        scope: { DataType: 'String', StringValue: alert.scope },
        threshold: { DataType: 'Number', StringValue: String(alert.threshold) },
      },
    }));
  }

  async subscribe(userId: string, email: string): Promise<AlertSubscription> {
    // The same user and address always give the same token, so asking again (a retried request, a
    // confirmation sent again) meets SNS's rule that an address has one subscription with one filter.
    const recipient = recipientToken(userId, email);
    try {
      const result = await this.client.send(new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: 'email',
        Endpoint: email,
        Attributes: {
          FilterPolicy: JSON.stringify({ userId: [userId], recipient: [recipient] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        ReturnSubscriptionArn: true,
      }));
      return { email, subscriptionArn: result.SubscriptionArn!, recipient };
    } catch (error) {
      // SNS holds one subscription per address; with another account's filter it refuses ours.
      if ((error as Error).name === 'InvalidParameterException' && /already exists/i.test((error as Error).message)) throw new AlertEmailTakenError();
      throw new DependencyUnavailableError(`could not subscribe the alert email: ${(error as Error).name}`);
    }
  }

  async unsubscribe(subscriptionArn: string): Promise<void> {
    try {
      await this.client.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    } catch (error) {
      if ((error as Error).name === 'NotFoundException') return;
      throw error;
    }
  }
}

export function recipientToken(userId: string, email: string): string {
  return createHash('sha256').update(`${userId}\n${email}`).digest('base64url').slice(0, 22);
}
