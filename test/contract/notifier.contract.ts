import { expect } from 'chai';
import type { Notifier } from '../../src/application/ports.js';
import { alert } from '../support/fixtures.js';

/** What a test can observe of a notifier: the messages that reached each user's subscription. */
export interface NotifierFixture {
  notifier: Notifier;
  /** Messages delivered to subscribers of `userId`, each with its attributes. */
  receivedBy(userId: string): Promise<{ subject: string; body: string; attributes: Record<string, string> }[]>;
  /** The email addresses subscribed for `userId`. */
  subscribedEmails(userId: string): Promise<string[]>;
  cleanup(): Promise<void>;
}

export function notifierContract(name: string, create: () => Promise<NotifierFixture>): void {
  describe(`Notifier contract: ${name}`, () => {
    let fixture: NotifierFixture;
    beforeEach(async () => { fixture = await create(); });
    afterEach(async () => fixture.cleanup());

    it('delivers an alert with a clear subject, body and the attributes subscriptions filter on', async () => {
      await fixture.notifier.publish('user-1', alert({ scope: 'Food', threshold: 100, spent: 12050, limit: 12000 }), 'USD');
      const [message, ...rest] = await fixture.receivedBy('user-1');
      expect(rest).to.deep.equal([]);
      expect(message!.subject).to.equal('Budget alert: 100% of your Food budget used (November 2026)');
      expect(message!.body).to.contain('Spent: USD 120.50').and.contain('Limit: USD 120.00').and.contain('100.4%');
      expect(message!.attributes).to.deep.equal({ userId: 'user-1', month: '2026-11', scope: 'Food', threshold: '100' });
    });

    it('delivers each user only their own alerts', async () => {
      await fixture.notifier.publish('user-1', alert({ threshold: 80 }), 'USD');
      await fixture.notifier.publish('user-2', alert({ threshold: 100 }), 'USD');
      expect((await fixture.receivedBy('user-1')).map((m) => m.attributes.threshold)).to.deep.equal(['80']);
      expect((await fixture.receivedBy('user-2')).map((m) => m.attributes.threshold)).to.deep.equal(['100']);
    });

    it('subscribes an email address for one user, once however often it is asked', async () => {
      await fixture.notifier.subscribe('user-1', 'me@example.com');
      await fixture.notifier.subscribe('user-1', 'me@example.com');
      expect(await fixture.subscribedEmails('user-1')).to.deep.equal(['me@example.com']);
      expect(await fixture.subscribedEmails('user-2')).to.deep.equal([]);
    });
  });
}
