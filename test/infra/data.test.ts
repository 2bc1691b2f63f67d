import { expect } from 'chai';
import { expensesTable } from '../../src/adapters/dynamodb/expenses-table.js';
import { loadStack, type LoadedStack } from './support/stack.js';

describe('infra: data (DynamoDB table and alert topic)', () => {
  let stack: LoadedStack;
  let table: Record<string, any>;
  before(async () => {
    stack = await loadStack();
    table = stack.one('aws:dynamodb/table:Table', 'expenses').inputs;
  });

  it('creates exactly one table, named by Pulumi (the runtime reads TABLE_NAME)', () => {
    expect(stack.ofType('aws:dynamodb/table:Table')).to.have.length(1);
    expect(table.name).to.equal(undefined);
  });

  it('takes its keys from the backend table definition', () => {
    expect(table.hashKey).to.equal('user_id').and.equal(expensesTable.partitionKey.name);
    expect(table.rangeKey).to.equal('expense_id').and.equal(expensesTable.sortKey.name);
  });

  it('declares exactly the key attributes of the table and its index, as strings', () => {
    expect(table.attributes).to.have.deep.members([
      { name: 'user_id', type: 'S' },
      { name: 'expense_id', type: 'S' },
      { name: 'list_key', type: 'S' },
      { name: 'delivery_queue', type: 'S' },
      { name: 'lease_until', type: 'N' },
    ]);
    expect(table.attributes).to.have.length(5);
  });

  it('has the by_date index (user_id, list_key) and the pending_alerts index (delivery_queue, lease_until), and no other', () => {
    expect(table.globalSecondaryIndexes).to.deep.equal([{
      name: 'by_date',
      keySchemas: [
        { attributeName: 'user_id', keyType: 'HASH' },
        { attributeName: 'list_key', keyType: 'RANGE' },
      ],
      projectionType: 'ALL',
    }, {
      name: 'pending_alerts',
      keySchemas: [
        { attributeName: 'delivery_queue', keyType: 'HASH' },
        { attributeName: 'lease_until', keyType: 'RANGE' },
      ],
      projectionType: 'ALL',
    }]);
    expect(table.localSecondaryIndexes).to.equal(undefined);
  });

  it('bills on demand', () => {
    expect(table.billingMode).to.equal('PAY_PER_REQUEST');
    expect(table.readCapacity).to.equal(undefined);
    expect(table.writeCapacity).to.equal(undefined);
  });

  it('keeps point-in-time recovery and KMS server-side encryption on', () => {
    expect(table.pointInTimeRecovery).to.deep.equal({ enabled: true });
    expect(table.serverSideEncryption).to.deep.equal({ enabled: true });
  });

  it('streams new images for the alert-delivery Lambda', () => {
    expect(table.streamEnabled).to.equal(true);
    expect(table.streamViewType).to.equal('NEW_IMAGE').and.equal(expensesTable.streamViewType);
  });

  it('expires idempotency records through the TTL attribute', () => {
    expect(table.ttl).to.deep.equal({ attributeName: 'expires_at', enabled: true });
  });

  it('turns deletion protection on from config', () => {
    expect(table.deletionProtectionEnabled).to.equal(true);
  });

  it('encrypts the alert topic with the AWS managed SNS key', () => {
    const topic = stack.one('aws:sns/topic:Topic', 'alerts').inputs;
    expect(topic.kmsMasterKeyId).to.equal('alias/aws/sns');
  });

  it('creates no alert-topic subscription: the API subscribes each user at run time', () => {
    const subscriptions = stack.ofType('aws:sns/topicSubscription:TopicSubscription');
    expect(subscriptions.map((s) => s.name)).to.deep.equal(['alarm-email']);
  });
});
