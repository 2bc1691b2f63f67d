import { expect } from 'chai';
import { TOKENS } from '../../src/application/ports.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../src/application/report-link.js';
import { AddExpense } from '../../src/application/use-cases/add-expense.js';
import { GetBudget } from '../../src/application/use-cases/get-budget.js';
import { QueueDueReports, SendMonthlyReport, UnsubscribeMonthlyReport } from '../../src/application/use-cases/monthly-reports.js';
import { SetBudget } from '../../src/application/use-cases/set-budget.js';
import { InMemoryReportMailer } from '../../src/adapters/memory/memory-report-mailer.js';
import { ExpiredUnsubscribeLinkError, InvalidUnsubscribeLinkError } from '../../src/domain/errors.js';
import { testApp, type TestApp } from '../support/app.js';
import { budget, details } from '../support/fixtures.js';
import { freshTable } from '../support/services.js';

const USER = 'report-user';

async function optIn(app: TestApp, user = USER, overrides = {}) {
  await app.get(SetBudget).execute(user, budget({ monthlyLimit: 100_000, alertEmail: `${user}@example.com`, monthlyReport: true, ...overrides }));
}

describe('monthly report: schedule and sending', () => {
  let app: TestApp;
  let mailer: InMemoryReportMailer;
  beforeEach(() => {
    app = testApp();
    mailer = app.container.get(InMemoryReportMailer);
    app.clock.current = new Date('2026-11-10T09:00:00.000Z');
  });

  it('is due at 08:00 on the 1st in the user\'s time zone, and sends November once however often the pass runs', async () => {
    await optIn(app, USER, { timeZone: 'Asia/Tokyo' });
    await app.get(AddExpense).execute(USER, details({ amount: 4_200, category: 'Food', date: '2026-11-09', description: 'dinner' }));
    // 07:59 on 1 December in Tokyo: not yet.
    app.clock.current = new Date('2026-11-30T22:59:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
    app.clock.current = new Date('2026-11-30T23:00:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 1 });
    expect(mailer.sent.map((m) => [m.to, m.subject])).to.deep.equal([[`${USER}@example.com`, 'Your spending in November 2026: $42.00']]);
    // A second pass, a duplicated message, a retried sender: nothing more.
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
    expect(await app.get(SendMonthlyReport).execute(USER)).to.equal('sent-before');
    await Promise.all([1, 2, 3].map(() => app.get(SendMonthlyReport).execute(USER)));
    expect(mailer.sent).to.have.length(1);
    // The next one is due on 1 January.
    app.clock.current = new Date('2026-12-31T23:00:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 1 });
    expect(mailer.sent.map((m) => m.subject)).to.deep.equal(['Your spending in November 2026: $42.00', 'Your spending in December 2026: $0.00']);
  });

  it('sends duplicate messages for one user at the same moment exactly once', async () => {
    await optIn(app);
    app.clock.current = new Date('2026-12-01T08:00:00.000Z');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => app.get(SendMonthlyReport).execute(USER)));
    expect(outcomes.filter((o) => o === 'sent')).to.have.length(1);
    expect(mailer.sent).to.have.length(1);
  });

  it('keeps a report whose send failed, and sends it once SES is back; the failure is logged for the alarm', async () => {
    await optIn(app);
    app.clock.current = new Date('2026-12-01T08:00:00.000Z');
    mailer.failures = 2;
    await app.get(SendMonthlyReport).execute(USER).then(() => expect.fail('should throw'), (e: Error) => expect(e.message).to.contain('SES'));
    expect(app.logger.lines.filter((l) => l.level === 'error').map((l) => l.message)).to.include('monthly report send failed');
    // Within the retry wait, nothing is sent; after it, the next attempt fails too; then it goes.
    expect(await app.get(SendMonthlyReport).execute(USER)).to.equal('busy');
    app.clock.current = new Date('2026-12-01T08:01:01.000Z');
    await app.get(SendMonthlyReport).execute(USER).catch(() => undefined);
    app.clock.current = new Date('2026-12-01T08:02:02.000Z');
    expect(await app.get(SendMonthlyReport).execute(USER)).to.equal('sent');
    expect(mailer.sent).to.have.length(1);
  });

  it('a user queued but stopped before sending gets nothing; turning it off takes them off the schedule', async () => {
    await optIn(app);
    await app.get(SetBudget).execute(USER, budget({ monthlyLimit: 100_000, alertEmail: `${USER}@example.com` }));
    app.clock.current = new Date('2026-12-01T08:00:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
    expect(await app.get(SendMonthlyReport).execute(USER)).to.equal('off');
    expect(mailer.sent).to.deep.equal([]);
  });

  it('refuses a report without an address, naming the field', async () => {
    const error = await app.get(SetBudget).execute(USER, budget({ alertEmail: null, monthlyReport: true })).then(() => null, (e: unknown) => e);
    expect((error as { fields: Record<string, string> }).fields).to.deep.equal({ monthlyReport: 'needs alertEmail: the report is emailed there' });
  });

  it('puts a one-click unsubscribe link in the report that turns it off without signing in, once', async () => {
    await optIn(app);
    app.clock.current = new Date('2026-12-01T08:00:00.000Z');
    await app.get(QueueDueReports).execute();
    const [report] = mailer.sent;
    const token = new URL(report!.unsubscribeUrl).searchParams.get('token')!;
    expect(report!.unsubscribeUrl).to.match(/^http:\/\/localhost\/api\/reports\/unsubscribe\?token=[\w-]+\.[\w-]+$/);
    expect(report!.text).to.contain(report!.unsubscribeUrl);
    await app.get(UnsubscribeMonthlyReport).execute(token);
    await app.get(UnsubscribeMonthlyReport).execute(token);
    expect((await app.get(GetBudget).execute(USER)).monthlyReport).to.equal(false);
    app.clock.current = new Date('2027-01-01T08:00:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
  });
});

describe('monthly report: the unsubscribe token', () => {
  const secret = 'a secret only the server has';
  const now = new Date('2026-12-01T08:00:00.000Z');
  const later = new Date('2027-03-01T08:00:00.000Z');

  it('names the user it was signed for until it expires', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken('ana', later, secret), secret, now)).to.equal('ana');
  });

  it('refuses an expired token (410), a tampered one, one signed with another secret, and another user\'s id under a valid signature', () => {
    const token = signUnsubscribeToken('ana', later, secret);
    expect(() => verifyUnsubscribeToken(token, secret, new Date(later.getTime() + 1000))).to.throw(ExpiredUnsubscribeLinkError);
    const [payload, signature] = token.split('.') as [string, string];
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    const bens = Buffer.from(JSON.stringify({ u: 'ben', e: Math.floor(later.getTime() / 1000) })).toString('base64url');
    for (const forged of [`${payload}.${flipped}`, `${bens}.${signature}`, signUnsubscribeToken('ana', later, 'another secret'), `${payload}`, `${payload}.${signature}.x`, 'not-a-token', '']) {
      expect(() => verifyUnsubscribeToken(forged, secret, now), forged).to.throw(InvalidUnsubscribeLinkError);
    }
  });

  it('turns off only the user the link names', async () => {
    const app = testApp();
    app.clock.current = new Date('2026-11-10T09:00:00.000Z');
    await optIn(app, 'ana');
    await optIn(app, 'ben');
    const { tokenSecret } = app.container.get(TOKENS.ReportSettings);
    await app.get(UnsubscribeMonthlyReport).execute(signUnsubscribeToken('ana', later, tokenSecret));
    expect((await app.get(GetBudget).execute('ana')).monthlyReport).to.equal(false);
    expect((await app.get(GetBudget).execute('ben')).monthlyReport).to.equal(true);
  });
});

describe('monthly report on DynamoDB Local', function () {
  this.timeout(60_000);
  let table: Awaited<ReturnType<typeof freshTable>>;
  beforeEach(async () => { table = await freshTable(); });
  afterEach(async () => table.drop());

  it('three passes and three senders at once over 30 opted-in users send each report once', async () => {
    const instances = [1, 2, 3].map(() => testApp({ storage: 'dynamodb', dynamoDbEndpoint: table.endpoint, tableName: table.tableName }));
    const [app] = instances as [TestApp, TestApp, TestApp];
    app.clock.current = new Date('2026-11-10T09:00:00.000Z');
    const users = Array.from({ length: 30 }, (_, i) => `report-${i}`);
    for (const user of users) await optIn(app, user, { timeZone: ['UTC', 'Europe/Berlin', 'America/New_York'][users.indexOf(user) % 3] });
    for (const each of instances) each.clock.current = new Date('2026-12-01T14:00:00.000Z');
    const passes = await Promise.all(instances.map((each) => each.get(QueueDueReports).execute()));
    expect(passes.reduce((sum, p) => sum + p.queued, 0)).to.equal(30);
    const sent = instances.flatMap((each) => each.container.get(InMemoryReportMailer).sent.map((m) => m.to)).sort();
    expect(sent).to.deep.equal(users.map((u) => `${u}@example.com`).sort());
    // Each report is recorded as sent: a duplicate message sends nothing, and nothing failed on the way.
    for (const user of users.slice(0, 5)) expect(await app.get(SendMonthlyReport).execute(user)).to.equal('sent-before');
    expect(instances.flatMap((each) => each.logger.lines.filter((l) => l.level === 'error'))).to.deep.equal([]);
    // Everyone is next due in January: a pass now, or after the hold has lapsed, queues nobody.
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
    app.clock.current = new Date('2026-12-02T14:00:00.000Z');
    expect(await app.get(QueueDueReports).execute()).to.deep.equal({ queued: 0 });
  });
});
