import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { InMemoryNotifier } from '../../src/adapters/memory/memory-notifier.js';
import { SnsNotifier } from '../../src/adapters/sns/sns-notifier.js';
import { describeAlert } from '../../src/domain/alert.js';
import { fauxqsServer } from '../support/services.js';
import { notifierContract } from './notifier.contract.js';

notifierContract('in memory', async () => {
  const notifier = new InMemoryNotifier();
  return {
    notifier,
    receivedBy: async (userId) => notifier.published.filter((p) => p.userId === userId).map((p) => ({
      ...describeAlert(p.alert, p.currency),
      attributes: { userId: p.userId, month: p.alert.month, scope: p.alert.scope, threshold: String(p.alert.threshold) },
    })),
    subscribedEmails: async (userId) => notifier.subscriptions.filter((s) => s.userId === userId).map((s) => s.email),
    cleanup: async () => {},
  };
});

notifierContract('SNS (fauxqs)', async () => {
  const { sns, sqs } = await fauxqsServer();
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `alerts-${randomUUID()}` }));
  // One SQS queue per user, subscribed with the same userId filter policy the email subscriptions use.
  const queues = new Map<string, string>();
  for (const userId of ['user-1', 'user-2']) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${userId}-${randomUUID()}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn,
      Attributes: { FilterPolicy: JSON.stringify({ userId: [userId] }), FilterPolicyScope: 'MessageAttributes' },
    }));
    queues.set(userId, QueueUrl!);
  }
  return {
    notifier: new SnsNotifier(sns, TopicArn!),
    receivedBy: async (userId) => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.get(userId), MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      return Messages.map((m) => {
        const envelope = JSON.parse(m.Body!) as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
        return {
          subject: envelope.Subject,
          body: envelope.Message,
          attributes: Object.fromEntries(Object.entries(envelope.MessageAttributes).map(([k, v]) => [k, v.Value])),
        };
      });
    },
    subscribedEmails: async (userId) => {
      const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
      const emails: string[] = [];
      for (const subscription of Subscriptions.filter((s) => s.Protocol === 'email')) {
        const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscription.SubscriptionArn }));
        if ((JSON.parse(Attributes?.FilterPolicy ?? '{}') as { userId?: string[] }).userId?.includes(userId)) emails.push(subscription.Endpoint!);
      }
      return emails;
    },
    cleanup: async () => {
      await sns.send(new DeleteTopicCommand({ TopicArn }));
      for (const QueueUrl of queues.values()) await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    },
  };
});
