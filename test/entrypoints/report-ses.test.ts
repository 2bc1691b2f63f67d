import { SESv2Client } from '@aws-sdk/client-sesv2';
import { expect } from 'chai';
import { TOKENS } from '../../src/application/ports.js';
import { SES_TOKENS, SesReportMailer } from '../../src/adapters/ses/ses-report-mailer.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { GetBudget } from '../../src/application/use-cases/get-budget.js';
import { SendMonthlyReport } from '../../src/application/use-cases/monthly-reports.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { apiDependencies } from '../../src/composition-root.js';
import { createApiHandler } from '../../src/adapters/http/api-handler.js';
import { startSesLocal, type SesLocal } from '../../src/entrypoints/local/ses-local.js';
import { apiEvent } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { asInput, budget } from '../support/fixtures.js';

/** The SES adapter against aws-ses-v2-local, the emulator `npm start` runs: what a mail client would get. */
describe('monthly report through the SES v2 API (aws-ses-v2-local)', function () {
  this.timeout(30_000);
  let ses: SesLocal;
  let app: TestApp;
  const reports = (endpoint: string) => ({
    enabled: true, mailer: 'ses' as const, sesEndpoint: endpoint, from: 'reports@example.com', queue: 'in-process' as const,
    linkBase: 'https://api.example.com', tokenSecret: 'test secret',
  });

  before(async () => { ses = await startSesLocal(); });
  after(async () => ses.stop());
  beforeEach(async () => {
    await ses.clear();
    app = testApp({ reports: reports(ses.endpoint) });
    app.clock.current = new Date('2026-11-10T09:00:00.000Z');
    await app.get(SetBudget).execute('kw', budget({ currency: 'KWD', monthlyLimit: 500_000, alertEmail: 'kw@example.com', monthlyReport: true }));
    await app.get(AddExpense).execute('kw', asInput({ amount: 12_345, category: 'Food', date: '2026-11-03', description: 'souk' }, 'KWD'));
    app.clock.current = new Date('2026-12-01T08:00:00.000Z');
  });

  it('sends one email with a text and an HTML part and the RFC 8058 one-click headers, whose link turns the report off', async () => {
    expect(await app.get(SendMonthlyReport).execute('kw')).to.equal('sent');
    const [email, ...more] = await ses.emails();
    expect(more).to.deep.equal([]);
    expect(email!.from).to.equal('reports@example.com');
    expect(email!.destination.to).to.deep.equal(['kw@example.com']);
    expect(email!.subject).to.equal('Your spending in November 2026: KWD 12.345');
    expect(email!.body.text).to.contain('- 2026-11-03 souk: KWD 12.345 (Food)');
    expect(email!.body.html).to.contain('<li>2026-11-03 souk: KWD 12.345 (Food)</li>');
    const headers = Object.fromEntries((email!.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe-Post']).to.equal('List-Unsubscribe=One-Click');
    const link = /^<(https:\/\/api\.example\.com\/api\/reports\/unsubscribe\?token=[\w.-]+)>$/.exec(headers['List-Unsubscribe']!)![1]!;
    // What a mail client does with the header: POST List-Unsubscribe=One-Click to the link, signed in or not.
    const handler = createApiHandler(apiDependencies(app.container, []));
    const url = new URL(link);
    const event = apiEvent('POST', url.pathname, { query: { token: url.searchParams.get('token')! }, body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' }, user: null });
    expect((await handler(event)).statusCode).to.equal(200);
    expect((await app.get(GetBudget).execute('kw')).monthlyReport).to.equal(false);
  });

  it('keeps the report when SES cannot be reached, and sends it once SES answers again', async () => {
    const good = app.container.get(SES_TOKENS.Client);
    const nobodyListens = new SESv2Client({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const sendWith = (client: SESv2Client) => {
      app.container.rebind(SES_TOKENS.Client).toConstantValue(client);
      app.container.rebind(TOKENS.ReportMailer).to(SesReportMailer);
      app.container.rebind(SendMonthlyReport).toSelf();
      return app.get(SendMonthlyReport).execute('kw');
    };
    await sendWith(nobodyListens).then(() => expect.fail('should throw'), (e: Error) => expect(String(e)).to.match(/ECONNREFUSED|connect/));
    expect(await ses.emails()).to.deep.equal([]);
    app.clock.current = new Date('2026-12-01T08:05:00.000Z');
    expect(await sendWith(good as SESv2Client)).to.equal('sent');
    expect(await sendWith(good as SESv2Client)).to.equal('sent-before');
    expect(await ses.emails()).to.have.length(1);
    nobodyListens.destroy();
  });
});
