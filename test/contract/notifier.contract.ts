import { expect } from 'chai';
import type { Notifier } from '../../src/application/ports.js';
import { AlertEmailTakenError } from '../../src/domain/errors.js';
import { alert } from '../support/fixtures.js';
import { expectRejection } from './ledger-repository.contract.js';

/** What a test can observe of a notifier: the messages that reached each address. */
export interface NotifierFixture {
  notifier: Notifier;
  /** Messages delivered to `email`, each with its attributes. */
  receivedAt(email: string): Promise<{ subject: string; body: string; attributes: Record<string, string> }[]>;
  /** The addresses subscribed for `userId`. */
  subscribedEmails(userId: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export function notifierContract(name: string, create: () => Promise<NotifierFixture>): void {
  describe(`Notifier contract: ${name}`, () => {
    let fixture: NotifierFixture;
    let notifier: Notifier;
    beforeEach(async () => {
      fixture = await create();
      notifier = fixture.notifier;
    });
    afterEach(async () => fixture.cleanup());

    it('delivers an alert with a clear subject, body and the attributes subscriptions filter on', async () => {
      const { recipient } = await notifier.subscribe('user-1', 'one@example.com');
      await notifier.publish(alert({ scope: 'Food', threshold: 100, spent: 12050, limit: 12000 }), { userId: 'user-1', recipient, currency: 'USD' });
      const [message, ...rest] = await fixture.receivedAt('one@example.com');
      expect(rest).to.deep.equal([]);
      expect(message!.subject).to.equal('Budget alert: 100% of your Food budget used (November 2026)');
      expect(message!.body).to.contain('Spent: $120.50').and.contain('Limit: $120.00').and.contain('100.4%');
      expect(message!.attributes).to.deep.equal({ userId: 'user-1', recipient, month: '2026-11', scope: 'Food', threshold: '100' });
    });

    it('delivers each user only their own alerts', async () => {
      const one = await notifier.subscribe('user-1', 'one@example.com');
      const two = await notifier.subscribe('user-2', 'two@example.com');
      await notifier.publish(alert({ threshold: 80 }), { userId: 'user-1', recipient: one.recipient, currency: 'USD' });
      await notifier.publish(alert({ threshold: 100 }), { userId: 'user-2', recipient: two.recipient, currency: 'USD' });
      // A recipient token is no key to another user's inbox.
      await notifier.publish(alert({ threshold: 90 }), { userId: 'user-2', recipient: one.recipient, currency: 'USD' });
      expect((await fixture.receivedAt('one@example.com')).map((m) => m.attributes.threshold)).to.deep.equal(['80']);
      expect((await fixture.receivedAt('two@example.com')).map((m) => m.attributes.threshold)).to.deep.equal(['100']);
    });

    it('subscribes an address for one user, once however often it is asked, with the same subscription', async () => {
      const first = await notifier.subscribe('user-1', 'me@example.com');
      const again = await notifier.subscribe('user-1', 'me@example.com');
      expect(again).to.deep.equal(first);
      expect(first.email).to.equal('me@example.com');
      expect(first.subscriptionArn).to.be.a('string').and.not.equal('pending confirmation');
      expect(await fixture.subscribedEmails('user-1')).to.deep.equal(['me@example.com']);
      expect(await fixture.subscribedEmails('user-2')).to.deep.equal([]);
    });

    it('sends nothing to an earlier address once the user moved on, even before it is unsubscribed', async () => {
      const old = await notifier.subscribe('user-1', 'old@example.com');
      const current = await notifier.subscribe('user-1', 'new@example.com');
      expect(current.recipient).to.not.equal(old.recipient);
      await notifier.publish(alert(), { userId: 'user-1', recipient: current.recipient, currency: 'USD' });
      expect(await fixture.receivedAt('old@example.com')).to.deep.equal([]);
      expect(await fixture.receivedAt('new@example.com')).to.have.length(1);
      await notifier.unsubscribe(old.subscriptionArn);
      await notifier.unsubscribe(old.subscriptionArn);
      expect(await fixture.subscribedEmails('user-1')).to.deep.equal(['new@example.com']);
    });

    it('refuses an address that already receives another account\'s alerts', async () => {
      await notifier.subscribe('user-1', 'family@example.com');
      await expectRejection(notifier.subscribe('user-2', 'family@example.com'), AlertEmailTakenError);
      expect(await fixture.subscribedEmails('user-2')).to.deep.equal([]);
      // Subaddresses reach the same inbox and are separate subscriptions.
      await notifier.subscribe('user-2', 'family+ben@example.com');
      expect(await fixture.subscribedEmails('user-2')).to.deep.equal(['family+ben@example.com']);
    });
  });
}
