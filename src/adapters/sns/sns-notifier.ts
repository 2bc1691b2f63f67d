import { PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { inject, injectable } from 'inversify';
import { DependencyUnavailableError, type Notifier } from '../../application/ports.js';
import { describeAlert, type Alert } from '../../domain/alert.js';

export const SNS_TOKENS = {
  Client: Symbol.for('SNSClient'),
  TopicArn: Symbol.for('AlertTopicArn'),
};

/**
 * Alerts go to one SNS topic. Each message carries the user id as a message attribute, and each
 * user's email subscription filters on it, so a person only receives their own alerts.
 */
@injectable()
export class SnsNotifier implements Notifier {
  constructor(
    @inject(SNS_TOKENS.Client) private readonly client: SNSClient,
    @inject(SNS_TOKENS.TopicArn) private readonly topicArn: string,
  ) {}

  async publish(userId: string, alert: Alert, currency: string): Promise<void> {
    const { subject, body } = describeAlert(alert, currency);
    await this.client.send(new PublishCommand({
      TopicArn: this.topicArn,
      Subject: subject,
      Message: body,
      MessageAttributes: {
        userId: { DataType: 'String', StringValue: userId },
        month: { DataType: 'String', StringValue: alert.month },
        scope: { DataType: 'String', StringValue: alert.scope },
        threshold: { DataType: 'Number', StringValue: String(alert.threshold) },
      },
    }));
  }

  async subscribe(userId: string, email: string): Promise<void> {
    try {
      await this.client.send(new SubscribeCommand({
        TopicArn: this.topicArn,
        Protocol: 'email',
        Endpoint: email,
        Attributes: {
          FilterPolicy: JSON.stringify({ userId: [userId] }),
          FilterPolicyScope: 'MessageAttributes',
        },
        ReturnSubscriptionArn: true,
      }));
    } catch (error) {
      throw new DependencyUnavailableError(`could not subscribe the alert email: ${(error as Error).name}`);
    }
  }
}
