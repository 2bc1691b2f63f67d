import { expect } from 'chai';
import type { ReportMailer, ReportMessage } from '../../src/application/ports.js';

export interface MailerFixture {
  mailer: ReportMailer;
  /** What reached the recipients' side, read back the adapter's own way. */
  delivered(): Promise<ReportMessage[]>;
  cleanup(): Promise<void>;
}

const message = (to: string): ReportMessage => ({
  to,
  subject: 'Your spending in November 2026: ¥1,200',
  text: 'Your spending in November 2026\n\nOverview\n- Spent: ¥1,200 in 1 expense\n',
  html: '<!doctype html><html lang="en"><body><h1>Your spending in November 2026</h1><ul><li>Spent: ¥1,200 in 1 expense</li></ul></body></html>',
  unsubscribeUrl: 'https://api.example.com/api/reports/unsubscribe?token=abc.def',
});

/** The behaviour every ReportMailer adapter must share; run against each one. */
export function reportMailerContract(name: string, create: () => Promise<MailerFixture>): void {
  describe(`ReportMailer contract: ${name}`, function () {
    this.timeout(30_000);
    let fixture: MailerFixture;
    beforeEach(async () => { fixture = await create(); });
    afterEach(async () => fixture.cleanup());

    it('delivers each message once, with its subject, both parts and its unsubscribe link, exactly as given', async () => {
      await fixture.mailer.send(message('ana@example.com'));
      await fixture.mailer.send(message('ben@example.com'));
      expect(await fixture.delivered()).to.deep.equal([message('ana@example.com'), message('ben@example.com')]);
    });
  });
}
