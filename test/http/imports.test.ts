import { expect } from 'chai';
import sinon from 'sinon';
import { createApiHandler, type ApiHandler } from '../../src/adapters/http/api-handler.js';
import { TOKENS } from '../../src/application/ports.js';
import { apiDependencies } from '../../src/composition-root.js';
import { apiEvent, bodyOf, type EventOptions } from '../support/api-events.js';
import { testApp, type TestApp } from '../support/app.js';
import { BULK_WRITES } from '../support/fixtures.js';

const ACTUAL = [
  'Account,Date,Payee,Notes,Category_Group,Category,Amount,Split_Amount,Cleared',
  'Checking,2026-11-02,Grocer,(SPLIT INTO 2),,,0,-30,Cleared',
  'Checking,2026-11-02,Grocer,(SPLIT 1 OF 2),Usual,Groceries,-20,0,Cleared',
  'Checking,2026-11-02,Grocer,(SPLIT 2 OF 2),Usual,Household,-10,0,Cleared',
  'Checking,2026-11-03,Employer,,Income,Salary,2000,0,Cleared',
  'Checking,2026-10-28,Cafe,,Usual,food,-3.5,0,Cleared',
  'Checking,2026-10-28,Cafe,,Usual,food,-3.5,0,Cleared',
].join('\n');

const FIREFLY = [
  'user_id,group_id,journal_id,created_at,updated_at,group_title,type,currency_code,amount,foreign_currency_code,foreign_amount,primary_currency_code,pc_amount,pc_foreign_amount,description,date,source_name,source_iban,source_type,destination_name,destination_iban,destination_type,reconciled,category,budget,bill,tags,notes',
  '1,10,101,2026-11-01T10:00:00+01:00,2026-11-01T10:00:00+01:00,,Withdrawal,USD,-42.10,EUR,-39.00,USD,-42.10,,Dinner,2026-11-01T00:00:00+01:00,Checking,,Asset account,Bistro,,Expense account,,Food,,,,',
  '1,11,102,2026-11-02T10:00:00+01:00,2026-11-02T10:00:00+01:00,,Deposit,USD,1500.00,,,USD,1500.00,,Salary,2026-11-02T00:00:00+01:00,Employer,,Revenue account,Checking,,Asset account,,,,,,',
  '1,12,103,2026-11-03T10:00:00+01:00,2026-11-03T10:00:00+01:00,,Transfer,USD,200.00,,,USD,200.00,,Savings,2026-11-03T00:00:00+01:00,Checking,,Asset account,Savings,,Asset account,,,,,,',
].join('\n');

const BANK = 'Buchungstag;Verwendungszweck;Betrag\r\n03.11.2026;"REWE\r\nSagt Danke";-1.234,56\r\n04.11.2026;Gehalt;2.000,00\r\n05.11.2026;Bäcker;-3,20\r\n';

describe('CSV import through the API (in-memory adapters)', () => {
  let app: TestApp;
  let handler: ApiHandler;
  const call = (method: string, path: string, options?: EventOptions) => handler(apiEvent(method, path, options));
  const upload = (csv: string, query: Record<string, string> = {}, headers: Record<string, string> = { 'content-type': 'text/csv' }) =>
    call('POST', '/api/imports', { body: csv, headers, query });
  const preview = (id: string, settings: unknown, query?: Record<string, string>) => call('POST', `/api/imports/${id}/preview`, { body: settings, ...(query ? { query } : {}) });
  const commit = (id: string, body: unknown) => call('POST', `/api/imports/${id}/commit`, { body });
  const summary = async (month: string) => bodyOf(await call('GET', '/api/summary', { query: { month } }));
  /** Uploads and commits with the suggested settings (and `choices`); answers the draft and the commit's answer. */
  const importFile = async (csv: string, choices: Record<string, unknown> = {}) => {
    const draft = bodyOf(await upload(csv));
    const response = await commit(draft.id, { ...draft.suggested, ...choices });
    return { draft, response, result: bodyOf(response) };
  };

  beforeEach(() => {
    app = testApp({ writeRateLimit: BULK_WRITES });
    handler = createApiHandler(apiDependencies(app.container, []));
  });

  it('recognises an Actual Budget export: outflows become expenses, inflows and split parents are skipped, categories map by name', async () => {
    const response = await upload(ACTUAL, { name: 'Checking.csv' });
    expect(response.statusCode).to.equal(201);
    const draft = bodyOf(response);
    expect(draft).to.include({ fileName: 'Checking.csv', status: 'draft', records: 7, delimiter: ',', preset: 'actual' });
    expect(draft.suggested).to.deep.include({ header: true, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', spendingSign: 'negative', defaultCategory: 'Other' });
    expect(draft.suggested.columns).to.deep.equal({ date: 'Date', amount: 'Amount', category: 'Category', description: 'Payee' });
    expect(draft.suggested.categories).to.deep.equal([
      { name: 'Groceries', to: 'new' }, { name: 'Household', to: 'new' }, { name: 'Salary', to: 'new' }, { name: 'food', to: 'Food' },
    ]);
    expect(draft.ask).to.deep.equal({});
    const shown = bodyOf(await preview(draft.id, draft.suggested));
    expect(shown.counts).to.deep.equal({ ok: 4, duplicate: 0, recorded: 0, error: 0, skipped: 2 });
    expect(shown.rows.map((r: any) => [r.line, r.status, r.amount ?? r.reason])).to.deep.equal([
      [2, 'skipped', 'amount is 0'], [3, 'ok', 20], [4, 'ok', 10], [5, 'skipped', 'positive amount: income'], [6, 'ok', 3.5], [7, 'ok', 3.5],
    ]);
    const { statusCode } = await commit(draft.id, draft.suggested);
    expect(statusCode).to.equal(200);
    const categories = bodyOf(await call('GET', '/api/categories')).items.map((c: any) => c.name);
    // Salary's only row is income: no category is made for it.
    expect(categories).to.include.members(['Groceries', 'Household']).and.not.include('Salary');
    expect((await summary('2026-11')).total).to.equal(30);
    expect((await summary('2026-10')).byCategory).to.deep.equal({ Food: 7 });
  });

  it('recognises a Firefly III export: only withdrawals are spending, with their foreign amount', async () => {
    const { draft, result } = await importFile(FIREFLY);
    expect(draft.preset).to.equal('firefly');
    expect(result).to.deep.equal({ status: 'committed', imported: 1, skipped: 2, rejected: 0 });
    const [expense] = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11' } })).items;
    expect(expense).to.include({ amount: 42.1, date: '2026-11-01', description: 'Dinner', category: 'Food' });
    expect(expense.original).to.deep.equal({ amount: 39, currency: 'EUR' });
  });

  it('reads a bank statement: semicolons, comma decimals with dot thousands, negative spending, a quoted line break', async () => {
    const { draft, result } = await importFile(BANK);
    expect(draft).to.include({ preset: 'bank', delimiter: ';' });
    expect(draft.suggested).to.deep.include({ dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', spendingSign: 'negative' });
    expect(result).to.deep.equal({ status: 'committed', imported: 2, skipped: 1, rejected: 0 });
    const items = bodyOf(await call('GET', '/api/expenses', { query: { month: '2026-11' } })).items;
    expect(items.map((e: any) => [e.date, e.amount, e.description])).to.deep.equal([['2026-11-05', 3.2, 'Bäcker'], ['2026-11-03', 1234.56, 'REWE Sagt Danke']]);
  });

  it('asks for the date format when every date could be read two ways, and never guesses', async () => {
    const draft = bodyOf(await upload('Date,Description,Amount\n03/04/2026,Coffee,3.50\n05/06/2026,Tea,2.00\n'));
    expect(draft.suggested.dateFormat).to.equal(null);
    expect(draft.ask).to.deep.equal({ dateFormat: ['DD/MM/YYYY', 'MM/DD/YYYY'] });
    const refused = await preview(draft.id, draft.suggested);
    expect(refused.statusCode).to.equal(400);
    expect(bodyOf(refused).error.fields).to.have.property('dateFormat');
    const read = bodyOf(await preview(draft.id, { ...draft.suggested, dateFormat: 'DD/MM/YYYY' }));
    expect(read.rows.map((r: any) => r.date)).to.deep.equal(['2026-04-03', '2026-06-05']);
  });

  it('asks for the decimal separator when 1,234 could be a thousand or one and a bit', async () => {
    const draft = bodyOf(await upload('Date,Description,Amount\n2026-11-03,Coffee,"1,234"\n'));
    expect(draft.ask).to.deep.equal({ decimalSeparator: ['.', ','] });
    const dot = bodyOf(await preview(draft.id, { ...draft.suggested, decimalSeparator: '.' }));
    const comma = bodyOf(await preview(draft.id, { ...draft.suggested, decimalSeparator: ',' }));
    expect(dot.rows[0]).to.include({ status: 'ok', amount: 1234 });
    expect(comma.rows[0]).to.include({ status: 'error' });
    expect(comma.rows[0].problems[0].reason).to.contain('has 3 decimal places; USD has 2');
  });

  it('reads debit and credit columns, and names the line, field and reason of every row it cannot read', async () => {
    const csv = 'Date,Payee,Debit,Credit\n2026-11-03,Shop,12.00,\n2026-11-04,Refund,,5.00\n2026-13-01,Bad date,1.00,\n2026-11-05,Bad amount,abc,\n';
    const draft = bodyOf(await upload(csv));
    expect(draft.suggested.columns).to.deep.equal({ date: 'Date', debit: 'Debit', credit: 'Credit', description: 'Payee' });
    const shown = bodyOf(await preview(draft.id, draft.suggested));
    expect(shown.counts).to.include({ ok: 1, skipped: 1, error: 2 });
    expect(shown.rows.filter((r: any) => r.status === 'error')).to.deep.equal([
      { line: 4, status: 'error', problems: [{ field: 'date', reason: '"2026-13-01" is not a date written YYYY-MM-DD between 1970 and 2099' }] },
      { line: 5, status: 'error', problems: [{ field: 'debit', reason: '"abc" is not a number written with "." as the decimal separator' }] },
    ]);
    expect(bodyOf(await commit(draft.id, draft.suggested))).to.deep.equal({ status: 'committed', imported: 1, skipped: 1, rejected: 2 });
  });

  it('never creates a row twice: the same file again, and an overlapping file, skip what is recorded; identical purchases stay two', async () => {
    const first = await importFile(ACTUAL);
    expect(first.result).to.deep.include({ imported: 4 });
    const again = await importFile(ACTUAL);
    expect(again.result).to.deep.equal({ status: 'committed', imported: 0, skipped: 6, rejected: 0 });
    const overlapping = `${ACTUAL}\nChecking,2026-11-20,Cinema,,Fun,Entertainment,-12,0,Cleared`;
    const draft = bodyOf(await upload(overlapping));
    const shown = bodyOf(await preview(draft.id, draft.suggested));
    expect(shown.counts).to.include({ ok: 1, recorded: 4, duplicate: 0 });
    expect(bodyOf(await commit(draft.id, draft.suggested))).to.deep.include({ imported: 1 });
    expect((await summary('2026-10')).count).to.equal(2);
    expect((await summary('2026-11')).count).to.equal(3);
  });

  it('flags a row matching a recorded expense by amount within 3 days, and imports it only when the user says so', async () => {
    await call('POST', '/api/expenses', { body: { amount: 3.5, category: 'Food', date: '2026-10-26', description: 'typed by hand' } });
    const draft = bodyOf(await upload(ACTUAL));
    const shown = bodyOf(await preview(draft.id, draft.suggested, { status: 'duplicate' }));
    expect(shown.counts).to.include({ duplicate: 2, ok: 2 });
    expect(shown.rows.map((r: any) => [r.line, r.duplicateOf.description])).to.deep.equal([[6, 'typed by hand'], [7, 'typed by hand']]);
    const undecided = await commit(draft.id, draft.suggested);
    expect(undecided.statusCode).to.equal(400);
    expect(bodyOf(undecided).error.fields.duplicates).to.contain('lines 6, 7');
    expect((await summary('2026-11')).count).to.equal(0);
    expect(bodyOf(await commit(draft.id, { ...draft.suggested, duplicates: 'skip', include: [7] }))).to.deep.equal({ status: 'committed', imported: 3, skipped: 3, rejected: 0 });
    expect((await summary('2026-10')).count).to.equal(2);
  });

  it('undoes a committed import as a whole: its expenses go, totals exact, and it cannot be committed again', async () => {
    await call('POST', '/api/expenses', { body: { amount: 1, category: 'Food', date: '2026-11-02' } });
    const { draft } = await importFile(ACTUAL);
    const response = await call('DELETE', `/api/imports/${draft.id}`);
    expect(response.statusCode).to.equal(200);
    expect(bodyOf(response)).to.deep.equal({ removed: 4 });
    expect((await summary('2026-11'))).to.include({ total: 1, count: 1 });
    expect((await summary('2026-10'))).to.include({ total: 0, count: 0 });
    expect(bodyOf(await call('GET', `/api/imports/${draft.id}`)).status).to.equal('undone');
    const again = await commit(draft.id, draft.suggested);
    expect(again.statusCode).to.equal(409);
    expect(bodyOf(again).error.code).to.equal('IMPORT_CONFLICT');
  });

  it('resumes an interrupted commit exactly once: the repeat finishes the job without duplicates', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `2026-0${1 + (i % 3)}-${String(1 + (i % 28)).padStart(2, '0')},item ${i},${(i % 7) + 1}.25`);
    const csv = `date,description,amount\n${rows.join('\n')}\n`;
    const draft = bodyOf(await upload(csv));
    const ledger = app.container.get(TOKENS.LedgerRepository);
    const real = ledger.commit.bind(ledger);
    let commits = 0;
    const crash = sinon.stub(ledger, 'commit').callsFake(async (userId, change) => {
      if (change.importBatch && ++commits === 3) throw new Error('Lambda timed out');
      return real(userId, change);
    });
    expect((await commit(draft.id, draft.suggested)).statusCode).to.equal(500);
    expect(bodyOf(await call('GET', `/api/imports/${draft.id}`)).status).to.equal('committing');
    crash.restore();
    expect(bodyOf(await commit(draft.id, draft.suggested))).to.deep.equal({ status: 'committed', imported: 300, skipped: 0, rejected: 0 });
    const totals = await Promise.all(['2026-01', '2026-02', '2026-03'].map(summary));
    expect(totals.map((t) => t.count)).to.deep.equal([100, 100, 100]);
    const expected = rows.reduce((sum, _, i) => sum + ((i % 7) + 1) * 100 + 25, 0) / 100;
    expect(totals.reduce((sum, t) => sum + t.total * 100, 0) / 100).to.equal(expected);
    // Choices differing from the commit's are refused, not mixed in.
    const other = await commit(draft.id, { ...draft.suggested, exclude: [2] });
    expect(other.statusCode).to.equal(409);
  });

  it('stops a commit that an undo overtakes (409), and the undo removes what the commit had made', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `2026-0${1 + (i % 2)}-${String(1 + (i % 28)).padStart(2, '0')},item ${i},1.00`);
    const draft = bodyOf(await upload(`date,description,amount\n${rows.join('\n')}\n`));
    const ledger = app.container.get(TOKENS.LedgerRepository);
    const real = ledger.commit.bind(ledger);
    let batches = 0;
    let undone: Promise<unknown> | null = null;
    sinon.stub(ledger, 'commit').callsFake(async (userId, change) => {
      // The undo starts right before the commit's second batch.
      if (change.importBatch?.status === 'committing' && ++batches === 2) undone = call('DELETE', `/api/imports/${draft.id}`);
      if (undone && change.importBatch?.status === 'committing') await new Promise((resolve) => setTimeout(resolve, 5));
      return real(userId, change);
    });
    const stopped = await commit(draft.id, draft.suggested);
    expect([stopped.statusCode, bodyOf(stopped).error.code]).to.deep.equal([409, 'IMPORT_CONFLICT']);
    await undone;
    sinon.restore();
    expect(bodyOf(await call('GET', `/api/imports/${draft.id}`)).status).to.equal('undone');
    expect((await summary('2026-01')).count + (await summary('2026-02')).count).to.equal(0);
  });

  it('records alerts of past months as suppressed and emails only the current month\'s', async () => {
    await call('PUT', '/api/budget', { body: { monthlyLimit: 10, thresholds: [80, 100], alertEmail: 'me@example.com' } });
    app.clock.current = new Date('2026-11-15T10:00:00Z');
    const csv = 'date,description,amount\n2026-10-05,old,12\n2026-11-05,new,12\n';
    await importFile(csv);
    const october = bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-10' } })).items;
    const november = bodyOf(await call('GET', '/api/alerts', { query: { month: '2026-11' } })).items;
    expect(october.map((a: any) => [a.threshold, a.delivery])).to.deep.equal([[80, 'suppressed'], [100, 'suppressed']]);
    expect(november.map((a: any) => a.threshold)).to.deep.equal([80, 100]);
    expect(november.every((a: any) => a.delivery !== 'suppressed')).to.equal(true);
    expect(app.notifier.published.map((p) => p.alert.month)).to.deep.equal(['2026-11', '2026-11']);
  });

  it('gives back exactly the same expenses when an export is imported into an empty account', async () => {
    const pets = bodyOf(await call('POST', '/api/categories', { body: { name: 'Pets' } }));
    const written = [
      { amount: 12.5, category: 'Food', date: '2026-11-10', description: 'lunch, with "friends"' },
      { amount: 0.1, category: pets.id, date: '2026-10-02', original: { amount: 15, currency: 'JPY' } },
      { amount: 99, category: 'Travel', date: '2026-11-01', description: '=1+2' },
      { amount: 99, category: 'Travel', date: '2026-11-01', description: '=1+2' },
    ];
    for (const body of written) await call('POST', '/api/expenses', { body });
    const csv = (await call('GET', '/api/export', { query: { from: '2026-10', to: '2026-11' } })).body!;
    const listed = async (user: string) => {
      const names = new Map(bodyOf(await call('GET', '/api/categories', { user })).items.map((c: any) => [c.id, c.name]));
      const pages = await Promise.all(['2026-10', '2026-11'].map(async (month) => bodyOf(await call('GET', '/api/expenses', { user, query: { month } })).items));
      return pages.flat().map(({ createdAt: _c, updatedAt: _u, category, ...rest }: any) => ({ ...rest, category: names.get(category) }))
        .sort((a: any, b: any) => (a.id < b.id ? -1 : 1));
    };
    const draft = bodyOf(await call('POST', '/api/imports', { user: 'user-b', body: csv, headers: { 'content-type': 'text/csv' } }));
    expect(draft.preset).to.equal('export');
    const result = bodyOf(await call('POST', `/api/imports/${draft.id}/commit`, { user: 'user-b', body: draft.suggested }));
    expect(result).to.deep.equal({ status: 'committed', imported: 4, skipped: 0, rejected: 0 });
    expect(await listed('user-b')).to.deep.equal(await listed('user-a'));
  });

  describe('refuses bad files with a clear error and writes nothing', () => {
    const refusals: [string, () => Promise<{ statusCode: number; body?: string }>, number, string][] = [
      ['not CSV (one column)', () => upload('just some text\nwithout columns\n'), 400, 'no delimiter'],
      ['a binary file', () => upload('PK\u0003\u0004\u0000\u0000xlsx'), 400, 'binary'],
      ['over 5 MiB', () => upload(`date,amount\n${'2026-11-01,1.00\n'.repeat(350_000)}`), 413, 'exceeds'],
      ['Windows-1252 bytes', () => handler({ ...apiEvent('POST', '/api/imports', { headers: { 'content-type': 'text/csv' } }), body: Buffer.from('date,description,amount\n2026-11-01,Caf\xe9,3\n', 'latin1').toString('base64'), isBase64Encoded: true }), 415, 'UTF-8'],
      ['another declared charset', () => upload('date,amount\n2026-11-01,1\n', {}, { 'content-type': 'text/csv; charset=iso-8859-1' }), 415, 'UTF-8'],
      ['not text/csv', () => upload('date,amount\n2026-11-01,1\n', {}, { 'content-type': 'application/json' }), 415, 'text/csv'],
      ['a header and no rows', () => upload('date,amount,description\n'), 400, 'no rows'],
    ];
    for (const [name, send, status, words] of refusals) {
      it(name, async () => {
        const response = await send();
        expect(response.statusCode).to.equal(status);
        expect(bodyOf(response).error.message + JSON.stringify(bodyOf(response).error.fields ?? {})).to.contain(words);
        expect(bodyOf(await call('GET', '/api/imports')).items).to.deep.equal([]);
      });
    }

    it('an unknown mapping column, named with the columns there are', async () => {
      const draft = bodyOf(await upload('date,amount\n2026-11-01,1\n'));
      const response = await preview(draft.id, { ...draft.suggested, columns: { date: 'date', amount: 'Betrag' } });
      expect(response.statusCode).to.equal(400);
      expect(bodyOf(response).error.fields).to.deep.equal({ 'columns.amount': 'no column is named "Betrag" (the columns are "date", "amount")' });
      const commitResponse = await commit(draft.id, { ...draft.suggested, columns: { date: 'date', amount: 'Betrag' } });
      expect(commitResponse.statusCode).to.equal(400);
      expect(bodyOf(await call('GET', `/api/imports/${draft.id}`)).status).to.equal('draft');
    });
  });
});
