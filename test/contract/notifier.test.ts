import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Notifier } from '../../src/application/ports.js';
import { InMemoryNotifier } from '../../src/adapters/memory/memory-notifier.js';
import { SnsNotifier } from '../../src/adapters/sns/sns-notifier.js';
import { describeAlert } from '../../src/domain/alert.js';
import { fauxqsServer } from '../support/services.js';
import { notifierContract } from './notifier.contract.js';

notifierContract('in memory', async () => {
  const notifier = new InMemoryNotifier();
  return {
    notifier,
    receivedAt: async (email) => notifier.published.filter((p) => p.deliveredTo.includes(email)).map((p) => ({
      ...describeAlert(p.alert, p.currency),
      attributes: { userId: p.userId, recipient: p.recipient, month: p.alert.month, scope: p.alert.scope, threshold: String(p.alert.threshold) },
    })),
    subscribedEmails: async (userId) => notifier.subscriptions.filter((s) => s.userId === userId).map((s) => s.email),
    cleanup: async () => {},
  };
});

interface Received { subject: string; body: string; attributes: Record<string, string> }

notifierContract('SNS (fauxqs)', async () => {
  const { sns, sqs } = await fauxqsServer();
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `alerts-${randomUUID()}` }));
  const snsNotifier = new SnsNotifier(sns, TopicArn!);
  // fauxqs sends no email: each email subscription the notifier makes is mirrored by an SQS queue
  // subscribed with the very filter policy SNS stored for it, so the queue receives what the address would.
  const mirrors = new Map<string, { queueUrl: string; mirrorArn: string; received: Received[] }>();
  const emailSubscriptions = async () => {
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    return Promise.all(Subscriptions.filter((s) => s.Protocol === 'email').map(async (s) => {
      const { Attributes: attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }));
      return { email: s.Endpoint!, arn: s.SubscriptionArn!, filterPolicy: attributes?.FilterPolicy ?? '{}' };
    }));
  };
  const notifier: Notifier = {
    publish: (alert, to) => snsNotifier.publish(alert, to),
    subscribe: async (userId, email) => {
      const subscription = await snsNotifier.subscribe(userId, email);
      if (!mirrors.has(subscription.subscriptionArn)) {
        const stored = (await emailSubscriptions()).find((s) => s.arn === subscription.subscriptionArn)!;
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `mirror-${randomUUID()}` }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
        const mirror = await sns.send(new SubscribeCommand({
          TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn, ReturnSubscriptionArn: true,
          Attributes: { FilterPolicy: stored.filterPolicy, FilterPolicyScope: 'MessageAttributes' },
        }));
        mirrors.set(subscription.subscriptionArn, { queueUrl: QueueUrl!, mirrorArn: mirror.SubscriptionArn!, received: [] });
      }
      return subscription;
    },
    unsubscribe: async (subscriptionArn) => {
      await snsNotifier.unsubscribe(subscriptionArn);
      const mirror = mirrors.get(subscriptionArn);
      if (mirror) await sns.send(new UnsubscribeCommand({ SubscriptionArn: mirror.mirrorArn }));
    },
  };
  return {
    notifier,
    receivedAt: async (email) => {
      const arns = (await emailSubscriptions()).filter((s) => s.email === email).map((s) => s.arn);
      const received: Received[] = [];
      for (const arn of arns) {
        const mirror = mirrors.get(arn)!;
        for (;;) {
          const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: mirror.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
          if (Messages.length === 0) break;
          for (const m of Messages) {
            const envelope = JSON.parse(m.Body!) as { Subject: string; Message: string; MessageAttributes: Record<string, { Value: string }> };
            mirror.received.push({
              subject: envelope.Subject,
              body: envelope.Message,
              attributes: Object.fromEntries(Object.entries(envelope.MessageAttributes).map(([k, v]) => [k, v.Value])),
            });
          }
        }
        received.push(...mirror.received);
      }
      return received;
    },
    subscribedEmails: async (userId) => (await emailSubscriptions())
      .filter((s) => (JSON.parse(s.filterPolicy) as { userId?: string[] }).userId?.includes(userId)).map((s) => s.email),
    cleanup: async () => {
      await sns.send(new DeleteTopicCommand({ TopicArn }));
      for (const { queueUrl } of mirrors.values()) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    },
  };
});
