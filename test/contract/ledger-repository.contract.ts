import { expect } from 'chai';
import { ConcurrentChangeError, IdempotencyKeyTakenError, type LedgerRepository } from '../../src/application/ports.js';
import { ValidationError } from '../../src/domain/errors.js';
import { emptyMonth, type MonthTotals } from '../../src/domain/month-totals.js';
import { defaultBudgetRecord, type BudgetRecord } from '../../src/application/ports.js';
import type { Budget } from '../../src/domain/budget.js';
import { alert, budget, expense } from '../support/fixtures.js';

export interface RepositoryFixture {
  repository: LedgerRepository;
  cleanup(): Promise<void>;
}

const USER = 'user-a';
const OTHER = 'user-b';
/** Far from the wall clock on purpose: adapters must use the time they are given. */
const NOW = new Date('2031-05-01T00:00:00.000Z');

function budgetRecord(set: Budget): BudgetRecord {
  return { ...defaultBudgetRecord(), budget: set };
}

function totals(month: string, overrides: Partial<MonthTotals> = {}): MonthTotals {
  return { ...emptyMonth(month), ...overrides };
}

/** The behaviour every LedgerRepository adapter must share; run against each one. */
export function ledgerRepositoryContract(name: string, create: () => Promise<RepositoryFixture>): void {
  describe(`LedgerRepository contract: ${name}`, function () {
    let fixture: RepositoryFixture;
    let repo: LedgerRepository;

    beforeEach(async () => {
      fixture = await create();
      repo = fixture.repository;
    });
    afterEach(async () => fixture.cleanup());

    async function addExpense(userId: string, e: ReturnType<typeof expense>) {
      const [month] = await repo.getMonths(userId, [e.date.slice(0, 7)]);
      await repo.commit(userId, { expense: { kind: 'create', expense: e }, months: [{ totals: { ...month!.totals, total: month!.totals.total + e.amount, count: month!.totals.count + 1 }, expectedVersion: month!.version }], newAlerts: [] });
    }

    describe('expenses', () => {
      it('returns null for an unknown expense', async () => {
        expect(await repo.getExpense(USER, 'missing')).to.equal(null);
      });

      it('stores a created expense exactly, with and without a description or an original amount', async () => {
        const plain = expense({ amount: 1999 });
        const described = expense({ description: 'lunch with Ana', category: 'Travel' });
        const abroad = expense({ amount: 1250, original: { amount: 200_000, currency: 'JPY' } });
        for (const e of [plain, described, abroad]) await addExpense(USER, e);
        for (const e of [plain, described, abroad]) expect(await repo.getExpense(USER, e.id)).to.deep.equal(e);
      });

      it('replaces and deletes an expense', async () => {
        const original = expense({ description: 'old' });
        await addExpense(USER, original);
        const { description: _d, ...rest } = original;
        const replaced = { ...rest, amount: 4200, original: { amount: 3900, currency: 'EUR' }, updatedAt: '2026-11-20T00:00:00.000Z' };
        await repo.commit(USER, { expense: { kind: 'replace', expense: replaced, previous: original }, months: [], newAlerts: [] });
        expect(await repo.getExpense(USER, original.id)).to.deep.equal(replaced);
        // Replacing with no original amount removes the stored one.
        const { original: _o, ...plain } = replaced;
        await repo.commit(USER, { expense: { kind: 'replace', expense: plain, previous: replaced }, months: [], newAlerts: [] });
        expect(await repo.getExpense(USER, original.id)).to.deep.equal(plain);
        await repo.commit(USER, { expense: { kind: 'delete', expense: plain }, months: [], newAlerts: [] });
        expect(await repo.getExpense(USER, original.id)).to.equal(null);
      });

      it('refuses to create an expense whose id exists, or to replace or delete one that does not', async () => {
        const e = expense();
        await addExpense(USER, e);
        await expectRejection(repo.commit(USER, { expense: { kind: 'create', expense: { ...e, amount: 1 } }, months: [], newAlerts: [] }), ConcurrentChangeError);
        expect((await repo.getExpense(USER, e.id))!.amount).to.equal(e.amount);
        const ghost = expense();
        await expectRejection(repo.commit(USER, { expense: { kind: 'replace', expense: ghost, previous: ghost }, months: [], newAlerts: [] }), ConcurrentChangeError);
        await expectRejection(repo.commit(USER, { expense: { kind: 'delete', expense: ghost }, months: [], newAlerts: [] }), ConcurrentChangeError);
        expect(await repo.getExpense(USER, ghost.id)).to.equal(null);
      });

      it('replaces or deletes an expense only while it is exactly as it was read', async () => {
        const original = expense({ amount: 1000, description: 'taxi' });
        await addExpense(USER, original);
        const first = { ...original, amount: 2100, updatedAt: '2026-11-20T00:00:00.000Z' };
        await repo.commit(USER, { expense: { kind: 'replace', expense: first, previous: original }, months: [], newAlerts: [] });
        // A second writer that read the original before the first committed must not apply its change.
        const second = { ...original, amount: 3000, updatedAt: '2026-11-20T00:00:01.000Z' };
        await expectRejection(repo.commit(USER, { expense: { kind: 'replace', expense: second, previous: original }, months: [], newAlerts: [] }), ConcurrentChangeError);
        await expectRejection(repo.commit(USER, { expense: { kind: 'delete', expense: original }, months: [], newAlerts: [] }), ConcurrentChangeError);
        // Any field differing counts: the description, its absence, an original amount, or the same amount with another date.
        const { description: _taxi, ...undescribed } = first;
        await expectRejection(repo.commit(USER, { expense: { kind: 'delete', expense: undescribed }, months: [], newAlerts: [] }), ConcurrentChangeError);
        await expectRejection(repo.commit(USER, { expense: { kind: 'delete', expense: { ...first, original: { amount: 2100, currency: 'EUR' } } }, months: [], newAlerts: [] }), ConcurrentChangeError);
        await expectRejection(repo.commit(USER, { expense: { kind: 'delete', expense: { ...first, date: '2026-11-11' } }, months: [], newAlerts: [] }), ConcurrentChangeError);
        expect(await repo.getExpense(USER, original.id)).to.deep.equal(first);
        await repo.commit(USER, { expense: { kind: 'delete', expense: first }, months: [], newAlerts: [] });
        expect(await repo.getExpense(USER, original.id)).to.equal(null);
      });

      it('knows whether a user has any expense, not counting months, budgets, alerts or idempotency records', async () => {
        await repo.commit(USER, {
          months: [{ totals: totals('2026-11', { total: 5, count: 1 }), expectedVersion: 0 }], newAlerts: [alert()],
          budget: { record: budgetRecord(budget()), expectedVersion: 0 },
          idempotency: { key: 'k', record: { fingerprint: 'f', response: { expense: expense(), alerts: [], currency: 'USD' } }, now: NOW, expiresAt: new Date(NOW.getTime() + 60_000) },
        });
        expect(await repo.hasExpenses(USER)).to.equal(false);
        const e = expense({ id: '-starts-with-a-dash' });
        await addExpense(USER, e);
        expect(await repo.hasExpenses(USER)).to.equal(true);
        expect(await repo.hasExpenses(OTHER)).to.equal(false);
        await repo.commit(USER, { expense: { kind: 'delete', expense: e }, months: [], newAlerts: [] });
        expect(await repo.hasExpenses(USER)).to.equal(false);
      });

      it('keeps each user\'s expenses apart', async () => {
        const e = expense();
        await addExpense(USER, e);
        expect(await repo.getExpense(OTHER, e.id)).to.equal(null);
        expect((await repo.listExpenses(OTHER, { month: '2026-11', limit: 50 })).items).to.deep.equal([]);
      });
    });

    describe('month totals', () => {
      it('reads an unwritten month as empty at version 0', async () => {
        expect(await repo.getMonths(USER, ['2026-10'])).to.deep.equal([{ totals: emptyMonth('2026-10'), version: 0 }]);
      });

      it('moves the version by one on each write and returns totals as written', async () => {
        const written = totals('2026-11', { total: 12345, count: 3, byCategory: { Food: 12000, Travel: 345 }, byDay: { '03': 12000, 30: 345 }, alerted: ['total#80', 'Food#100'] });
        await repo.commit(USER, { months: [{ totals: written, expectedVersion: 0 }], newAlerts: [] });
        await repo.commit(USER, { months: [{ totals: written, expectedVersion: 1 }], newAlerts: [] });
        const [month, other] = await repo.getMonths(USER, ['2026-11', '2026-12']);
        expect(month).to.deep.equal({ totals: written, version: 2 });
        expect(other).to.deep.equal({ totals: emptyMonth('2026-12'), version: 0 });
      });

      it('keeps a month whose days are unknown (written before they were kept) unknown, not empty', async () => {
        const unknownDays = totals('2026-11', { total: 500, count: 2, byCategory: { Food: 500 }, byDay: null });
        await repo.commit(USER, { months: [{ totals: unknownDays, expectedVersion: 0 }], newAlerts: [] });
        expect((await repo.getMonths(USER, ['2026-11']))[0]).to.deep.equal({ totals: unknownDays, version: 1 });
      });

      it('writes nothing when a month moved past the expected version', async () => {
        await repo.commit(USER, { months: [{ totals: totals('2026-11', { total: 100, count: 1 }), expectedVersion: 0 }], newAlerts: [] });
        const e = expense();
        await expectRejection(repo.commit(USER, {
          expense: { kind: 'create', expense: e },
          months: [{ totals: totals('2026-11', { total: 999, count: 9 }), expectedVersion: 0 }],
          newAlerts: [alert()],
          budget: { record: budgetRecord(budget({ monthlyLimit: 5 })), expectedVersion: 0 },
        }), ConcurrentChangeError);
        expect(await repo.getExpense(USER, e.id)).to.equal(null);
        expect((await repo.getMonths(USER, ['2026-11']))[0]).to.deep.equal({ totals: totals('2026-11', { total: 100, count: 1 }), version: 1 });
        expect(await repo.listAlerts(USER, '2026-11')).to.deep.equal([]);
        expect(await repo.getBudget(USER)).to.deep.equal({ record: defaultBudgetRecord(), version: 0 });
      });
    });

    describe('every month of a user, and many expenses in one change', () => {
      it('lists every month the user wrote, oldest first, with alerts waiting on them ignored', async () => {
        expect(await repo.listMonths(USER)).to.deep.equal([]);
        const november = totals('2026-11', { total: 5, count: 1, byCategory: { Food: 5 } });
        const march = totals('2025-03', { total: 7, count: 1, byCategory: { 'k3-x_9QbZ0aT': 7 } });
        await repo.commit(USER, { months: [{ totals: november, expectedVersion: 0 }], newAlerts: [alert({ month: '2026-11' })] });
        await repo.commit(USER, { months: [{ totals: march, expectedVersion: 0 }], newAlerts: [] });
        await repo.commit(OTHER, { months: [{ totals: totals('2026-01'), expectedVersion: 0 }], newAlerts: [] });
        expect(await repo.listMonths(USER)).to.deep.equal([{ totals: march, version: 1 }, { totals: november, version: 1 }]);
      });

      it('commits 97 expense moves, their month and the budget at once, or none of them when one moved meanwhile', async () => {
        const stored = Array.from({ length: 97 }, (_, i) => expense({ id: `move-${i}`, category: 'Food', amount: 100 + i }));
        for (const e of stored) await addExpense(USER, e);
        const moves = stored.map((previous) => ({ kind: 'replace' as const, previous, expense: { ...previous, category: 'Pets', updatedAt: '2026-11-20T00:00:00.000Z' } }));
        const [month] = await repo.getMonths(USER, ['2026-11']);
        // One expense changed after it was read: the whole batch is refused.
        const changed = { ...stored[50]!, amount: 1 };
        await repo.commit(USER, { expense: { kind: 'replace', expense: changed, previous: stored[50]! }, months: [], newAlerts: [] });
        await expectRejection(repo.commit(USER, { expenses: moves, months: [{ totals: totals('2026-11', { total: 1 }), expectedVersion: month!.version }], newAlerts: [], budget: { record: budgetRecord(budget()), expectedVersion: 0 } }), ConcurrentChangeError);
        expect((await repo.getExpense(USER, 'move-0'))!.category).to.equal('Food');
        expect(await repo.getMonths(USER, ['2026-11'])).to.deep.equal([month]);
        moves[50] = { kind: 'replace', previous: changed, expense: { ...changed, category: 'Pets', updatedAt: '2026-11-20T00:00:00.000Z' } };
        await repo.commit(USER, { expenses: moves, months: [{ totals: totals('2026-11', { total: 1 }), expectedVersion: month!.version }], newAlerts: [], budget: { record: budgetRecord(budget()), expectedVersion: 0 } });
        for (const { expense: moved } of moves) expect(await repo.getExpense(USER, moved.id)).to.deep.equal(moved);
        expect((await repo.getBudget(USER)).version).to.equal(1);
      });
    });

    describe('month ranges and recent months', () => {
      const write = async (user: string, months: MonthTotals[]) => {
        await repo.commit(user, { months: months.map((t) => ({ totals: t, expectedVersion: 0 })), newAlerts: [] });
      };

      it('reads the months written within a range, oldest first, with all of their bookkeeping', async () => {
        const september = totals('2026-09', { total: 300, count: 1, byCategory: { Rent: 300 }, countByCategory: { Rent: 1 }, recurringByCategory: { Rent: 300 } });
        const november = totals('2026-11', { total: 500, count: 2, byCategory: { Food: 500 }, countByCategory: { Food: 2 }, carrySpent: { total: 300, Food: -250 }, alerted: ['Food#80', 'Food#100#forecast'] });
        const later = totals('2027-02', { total: 1, count: 1, byCategory: { Food: 1 }, countByCategory: { Food: 1 }, carrySpent: { total: 800 } });
        await write(USER, [september, november, later]);
        await write(OTHER, [totals('2026-10', { total: 9, count: 1, byCategory: { Food: 9 }, countByCategory: { Food: 1 } })]);
        const at1 = (t: MonthTotals) => ({ totals: t, version: 1 });
        expect(await repo.getMonthRange(USER, '2026-09', '2026-11')).to.deep.equal([at1(september), at1(november)]);
        expect(await repo.getMonthRange(USER, '2026-10', null)).to.deep.equal([at1(november), at1(later)]);
        expect(await repo.getMonthRange(USER, '2026-12', '2027-01')).to.deep.equal([]);
        expect(await repo.getMonthRange(OTHER, '2026-01', null)).to.have.length(1);
      });

      it('reads the latest months at or before a month, newest first, up to a count, consistently or not', async () => {
        const months = ['2026-05', '2026-08', '2026-09', '2026-10', '2026-12'].map((m) => totals(m, { total: 1, count: 1, byCategory: { Food: 1 }, countByCategory: { Food: 1 } }));
        await write(USER, months);
        const monthsOf = (list: { totals: MonthTotals }[]) => list.map((m) => m.totals.month);
        expect(monthsOf(await repo.getRecentMonths(USER, '2026-11', 4, true))).to.deep.equal(['2026-10', '2026-09', '2026-08', '2026-05']);
        expect(monthsOf(await repo.getRecentMonths(USER, '2026-12', 2, false))).to.deep.equal(['2026-12', '2026-10']);
        expect(monthsOf(await repo.getRecentMonths(USER, '2026-07', 1, true))).to.deep.equal(['2026-05']);
        expect(await repo.getRecentMonths(USER, '2026-04', 4, false)).to.deep.equal([]);
        expect(await repo.getRecentMonths(OTHER, '2026-12', 4, true)).to.deep.equal([]);
      });

      it('reads the budget eventually consistently too, the default when never set', async () => {
        const set = budget({ monthlyLimit: 1000, categoryLimits: { Food: 600 }, rollover: ['total'], forecastThresholds: [100], monthlyReport: true });
        const record: BudgetRecord = { ...budgetRecord(set), carryPlans: { total: { since: '2026-11', limits: [{ from: '2026-11', amount: 1000 }, { from: '2027-01', amount: 1200 }] } } };
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record, expectedVersion: 0 } });
        expect(await repo.getBudget(USER, false)).to.deep.equal({ record, version: 1 });
        expect(await repo.getBudget(OTHER, false)).to.deep.equal({ record: defaultBudgetRecord(), version: 0 });
      });
    });

    describe('budget', () => {
      it('is the default at version 0 until set, then returns what was set, version by version', async () => {
        expect(await repo.getBudget(USER)).to.deep.equal({ record: defaultBudgetRecord(), version: 0 });
        const set: BudgetRecord = {
          budget: budget({ currency: 'EUR', monthlyLimit: 150000, categoryLimits: { Food: 40000, Health: 1 }, thresholds: [50, 80, 100], alertEmail: 'a@example.com' }),
          subscription: { email: 'a@example.com', subscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:alerts:1', recipient: 'r1' },
          alertEmailRequests: ['2026-11-15T10:00:00.000Z'],
          staleSubscriptions: { 'arn:aws:sns:eu-west-1:123456789012:alerts:0': 'old@example.com' },
          writeAllowance: { milliWrites: 58_250, at: '2026-11-15T10:00:01.750Z' },
          categoryIds: ['Food', 'Health', 'k3-x_9QbZ0aT'],
          recurringCount: 3,
          carryPlans: { Food: { since: '2026-10', limits: [{ from: '2026-10', amount: 40000 }] } },
        };
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: set, expectedVersion: 0 } });
        expect(await repo.getBudget(USER)).to.deep.equal({ record: set, version: 1 });
        expect(await repo.getBudget(OTHER)).to.deep.equal({ record: defaultBudgetRecord(), version: 0 });
        const cleared = budgetRecord(budget());
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: cleared, expectedVersion: 1 } });
        expect(await repo.getBudget(USER)).to.deep.equal({ record: cleared, version: 2 });
      });

      it('writes nothing when the budget moved past the expected version', async () => {
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: budgetRecord(budget({ monthlyLimit: 100 })), expectedVersion: 0 } });
        await expectRejection(repo.commit(USER, {
          months: [{ totals: totals('2026-11', { total: 5 }), expectedVersion: 0 }], newAlerts: [],
          budget: { record: budgetRecord(budget({ monthlyLimit: 999 })), expectedVersion: 0 },
        }), ConcurrentChangeError);
        expect((await repo.getBudget(USER)).record.budget.monthlyLimit).to.equal(100);
        expect((await repo.getMonths(USER, ['2026-11']))[0]!.version).to.equal(0);
      });

      it('lists users with stale subscriptions until each is forgotten; a postponed user is due again later', async () => {
        const stale = { 'arn:stale:1': 'one@example.com', 'arn:stale:2': 'two@example.com' };
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: { ...budgetRecord(budget()), staleSubscriptions: stale }, expectedVersion: 0 } });
        await repo.commit(OTHER, { months: [], newAlerts: [], budget: { record: budgetRecord(budget()), expectedVersion: 0 } });
        expect(await repo.listDueUnsubscribes(NOW, 10)).to.deep.equal([USER]);
        await repo.postponeUnsubscribes(USER, new Date(NOW.getTime() + 60_000));
        expect(await repo.listDueUnsubscribes(NOW, 10)).to.deep.equal([]);
        expect(await repo.listDueUnsubscribes(new Date(NOW.getTime() + 60_000), 10)).to.deep.equal([USER]);
        await repo.forgetStaleSubscription(USER, 'arn:stale:1');
        expect((await repo.getBudget(USER)).record.staleSubscriptions).to.deep.equal({ 'arn:stale:2': 'two@example.com' });
        await repo.forgetStaleSubscription(USER, 'arn:stale:2');
        await repo.forgetStaleSubscription(USER, 'arn:stale:2');
        expect((await repo.getBudget(USER)).record.staleSubscriptions).to.deep.equal({});
        expect(await repo.listDueUnsubscribes(new Date(NOW.getTime() + 120_000), 10)).to.deep.equal([]);
      });

      it('keeps a postponement across later budget writes (every expense write makes one), and drops it once none is left', async () => {
        const stale = { 'arn:stale:1': 'one@example.com' };
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: { ...budgetRecord(budget()), staleSubscriptions: stale }, expectedVersion: 0 } });
        await repo.postponeUnsubscribes(USER, new Date(NOW.getTime() + 60_000));
        const later = { ...budgetRecord(budget({ monthlyLimit: 5 })), staleSubscriptions: { ...stale, 'arn:stale:2': 'two@example.com' } };
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: later, expectedVersion: 1 } });
        expect(await repo.listDueUnsubscribes(NOW, 10), 'still postponed').to.deep.equal([]);
        expect(await repo.listDueUnsubscribes(new Date(NOW.getTime() + 60_000), 10)).to.deep.equal([USER]);
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: budgetRecord(budget()), expectedVersion: 2 } });
        expect(await repo.listDueUnsubscribes(new Date(NOW.getTime() + 60_000), 10), 'none left').to.deep.equal([]);
        await repo.commit(USER, { months: [], newAlerts: [], budget: { record: { ...budgetRecord(budget()), staleSubscriptions: stale }, expectedVersion: 3 } });
        expect(await repo.listDueUnsubscribes(NOW, 10), 'a new stale subscription is due at once').to.deep.equal([USER]);
      });
    });

    describe('alerts', () => {
      /** Commits alerts the way use cases do: with the month writes that raised them. */
      async function commitAlerts(userId: string, alerts: ReturnType<typeof alert>[]) {
        const months = [...new Set(alerts.map((a) => a.month))];
        const versioned = await repo.getMonths(userId, months);
        await repo.commit(userId, {
          months: versioned.map(({ totals, version }) => ({
            totals: { ...totals, alerted: [...totals.alerted, ...alerts.filter((a) => a.month === totals.month).map((a) => `${a.scope}#${a.threshold}`)] },
            expectedVersion: version,
          })),
          newAlerts: alerts,
        });
      }

      it('lists a month\'s alerts oldest first, and only that month\'s', async () => {
        const later = alert({ threshold: 100, spent: 10000, createdAt: '2026-11-12T00:00:00.000Z' });
        const earlier = alert({ threshold: 80, createdAt: '2026-11-11T00:00:00.000Z' });
        const food = alert({ scope: 'Food', threshold: 80, createdAt: '2026-11-11T00:00:00.000Z' });
        const october = alert({ month: '2026-10', createdAt: '2026-10-11T00:00:00.000Z' });
        await commitAlerts(USER, [later, food, earlier, october]);
        expect(await repo.listAlerts(USER, '2026-11')).to.deep.equal([earlier, food, later]);
        expect(await repo.listAlerts(USER, '2026-10')).to.deep.equal([october]);
        expect(await repo.listAlerts(OTHER, '2026-11')).to.deep.equal([]);
      });

      it('never overwrites an alert already recorded for the same (month, scope, threshold)', async () => {
        await commitAlerts(USER, [alert()]);
        const claim = await repo.claimAlertDelivery(USER, '2026-11_total_80', NOW, 60_000);
        await repo.settleAlertDelivery(USER, '2026-11_total_80', claim!, 'sent');
        await commitAlerts(USER, [alert({ spent: 9999 })]);
        expect((await repo.listAlerts(USER, '2026-11')).map((a) => [a.spent, a.delivery])).to.deep.equal([[8000, 'sent']]);
      });

      it('commits a move across months that raises 110 alerts, beyond any 100-item transaction limit', async () => {
        const moved = expense({ amount: 500_000, date: '2026-10-05' });
        await addExpense(USER, moved);
        const scopes = ['total', 'Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other'] as const;
        const raised = (month: string) => scopes.flatMap((scope) => [10, 20, 30, 40, 50].map((threshold) => alert({ month, scope, threshold, createdAt: `${month}-05T00:00:00.000Z` })));
        const [october, november] = await repo.getMonths(USER, ['2026-10', '2026-11']);
        const alerts = [...raised('2026-10'), ...raised('2026-11')];
        const after = { ...moved, date: '2026-11-05', updatedAt: '2026-11-20T00:00:00.000Z' };
        await repo.commit(USER, {
          expense: { kind: 'replace', expense: after, previous: moved },
          months: [
            { totals: { ...october!.totals, total: 0, count: 0, alerted: alerts.filter((a) => a.month === '2026-10').map((a) => `${a.scope}#${a.threshold}`) }, expectedVersion: october!.version },
            { totals: { ...november!.totals, total: 500_000, count: 1, alerted: alerts.filter((a) => a.month === '2026-11').map((a) => `${a.scope}#${a.threshold}`) }, expectedVersion: november!.version },
          ],
          newAlerts: alerts,
        });
        expect(await repo.getExpense(USER, moved.id)).to.deep.equal(after);
        expect((await repo.listAlerts(USER, '2026-10'))).to.have.length(55);
        expect((await repo.listAlerts(USER, '2026-11'))).to.have.length(55);
        expect((await repo.listDueAlerts(new Date('2026-11-06T00:00:00.000Z'), 200))).to.have.length(110);
      });

      it('lets one deliverer at a time claim a pending alert, and counts attempts', async () => {
        await commitAlerts(USER, [alert()]);
        const now = new Date('2026-11-15T10:00:00.000Z');
        expect(await repo.claimAlertDelivery(USER, '2026-11_total_80', now, 60_000)).to.include({ attempts: 1 });
        expect(await repo.claimAlertDelivery(USER, '2026-11_total_80', new Date(now.getTime() + 59_000), 60_000)).to.equal(null);
        // A crashed deliverer's claim lapses.
        const second = await repo.claimAlertDelivery(USER, '2026-11_total_80', new Date(now.getTime() + 61_000), 60_000);
        expect(second).to.include({ attempts: 2 });
        await repo.settleAlertDelivery(USER, '2026-11_total_80', second!, 'pending');
        expect(await repo.claimAlertDelivery(USER, '2026-11_total_80', new Date(now.getTime() + 62_000), 60_000)).to.include({ attempts: 3 });
        expect(await repo.claimAlertDelivery(OTHER, '2026-11_total_80', now, 60_000)).to.equal(null);
        expect(await repo.claimAlertDelivery(USER, '2026-11_total_999', now, 60_000)).to.equal(null);
      });

      it('lets only the current claim settle: a deliverer whose lease lapsed changes nothing', async () => {
        await commitAlerts(USER, [alert()]);
        const now = new Date('2026-11-15T10:00:00.000Z');
        const lapsed = await repo.claimAlertDelivery(USER, '2026-11_total_80', now, 60_000);
        const current = await repo.claimAlertDelivery(USER, '2026-11_total_80', new Date(now.getTime() + 61_000), 60_000);
        expect(current!.token).to.not.equal(lapsed!.token);
        await repo.settleAlertDelivery(USER, '2026-11_total_80', current!, 'sent');
        // The late outcome of the first claim neither moves `sent` back nor puts the alert up for retry.
        await repo.settleAlertDelivery(USER, '2026-11_total_80', lapsed!, 'pending', new Date(now.getTime() + 90_000));
        await repo.settleAlertDelivery(USER, '2026-11_total_80', lapsed!, 'failed');
        expect((await repo.listAlerts(USER, '2026-11')).map((a) => a.delivery)).to.deep.equal(['sent']);
        expect(await repo.listDueAlerts(new Date(now.getTime() + 3_600_000), 10)).to.deep.equal([]);
      });

      it('lists the due pending alerts of every user, oldest due first, up to a limit', async () => {
        const created = new Date('2026-11-10T12:00:00.000Z');
        const a1 = alert({ threshold: 80, createdAt: '2026-11-10T12:00:00.000Z' });
        const a2 = alert({ threshold: 100, createdAt: '2026-11-10T12:00:05.000Z' });
        const b1 = alert({ scope: 'Food', createdAt: '2026-11-10T12:00:02.000Z' });
        await commitAlerts(USER, [a1, a2]);
        await commitAlerts(OTHER, [b1]);
        expect(await repo.listDueAlerts(new Date(created.getTime() - 1), 10)).to.deep.equal([]);
        expect(await repo.listDueAlerts(created, 10)).to.deep.equal([{ userId: USER, alert: a1 }]);
        const later = new Date(created.getTime() + 10_000);
        expect(await repo.listDueAlerts(later, 10)).to.deep.equal([{ userId: USER, alert: a1 }, { userId: OTHER, alert: b1 }, { userId: USER, alert: a2 }]);
        expect(await repo.listDueAlerts(later, 2)).to.have.length(2);
        // A failed attempt puts the next one in the future; a claim hides it while it is held.
        const claim = await repo.claimAlertDelivery(USER, a1.id, later, 60_000);
        await repo.settleAlertDelivery(USER, a1.id, claim!, 'pending', new Date(later.getTime() + 30_000));
        await repo.claimAlertDelivery(OTHER, b1.id, later, 60_000);
        expect((await repo.listDueAlerts(later, 10)).map((d) => d.alert.id)).to.deep.equal([a2.id]);
        expect(await repo.claimAlertDelivery(USER, a1.id, new Date(later.getTime() + 29_000), 60_000)).to.equal(null);
        const retry = new Date(later.getTime() + 30_000);
        expect((await repo.listDueAlerts(retry, 10)).map((d) => d.alert.id)).to.deep.equal([a2.id, a1.id]);
        expect(await repo.claimAlertDelivery(USER, a1.id, retry, 60_000)).to.include({ attempts: 2 });
      });

      it('records the delivery outcome; only pending alerts are listed for retry and can be claimed', async () => {
        const sent = alert({ threshold: 80 });
        const failed = alert({ threshold: 90 });
        const waiting = alert({ threshold: 100 });
        const unaddressed = alert({ threshold: 110, delivery: 'no_email' });
        await commitAlerts(USER, [sent, failed, waiting, unaddressed]);
        const now = new Date('2026-11-15T10:00:00.000Z');
        for (const [settled, delivery] of [[sent, 'sent'], [failed, 'failed']] as const) {
          const claim = await repo.claimAlertDelivery(USER, settled.id, now, 60_000);
          await repo.settleAlertDelivery(USER, settled.id, claim!, delivery);
        }
        expect(await repo.listDueAlerts(now, 10)).to.deep.equal([{ userId: USER, alert: waiting }]);
        expect((await repo.listAlerts(USER, '2026-11')).map((a) => a.delivery)).to.deep.equal(['sent', 'failed', 'pending', 'no_email']);
        expect(await repo.claimAlertDelivery(USER, sent.id, new Date(now.getTime() + 120_000), 60_000)).to.equal(null);
        expect(await repo.claimAlertDelivery(USER, unaddressed.id, now, 60_000)).to.equal(null);
      });
    });

    describe('idempotency records', () => {
      const response = { expense: expense({ original: { amount: 1250, currency: 'EUR' } }), alerts: [alert()], currency: 'JPY' };

      it('stores a record with the write and refuses a second write with the same key', async () => {
        expect(await repo.getIdempotencyRecord(USER, 'key-1', NOW)).to.equal(null);
        const expiresAt = new Date(NOW.getTime() + 60_000);
        await repo.commit(USER, { expense: { kind: 'create', expense: response.expense }, months: [], newAlerts: [], idempotency: { key: 'key-1', record: { fingerprint: 'f1', response }, now: NOW, expiresAt } });
        expect(await repo.getIdempotencyRecord(USER, 'key-1', NOW)).to.deep.equal({ fingerprint: 'f1', response });
        expect(await repo.getIdempotencyRecord(OTHER, 'key-1', NOW)).to.equal(null);
        const second = expense();
        await expectRejection(repo.commit(USER, { expense: { kind: 'create', expense: second }, months: [], newAlerts: [], idempotency: { key: 'key-1', record: { fingerprint: 'f2', response }, now: NOW, expiresAt } }), IdempotencyKeyTakenError);
        expect(await repo.getExpense(USER, second.id)).to.equal(null);
      });

      it('treats an expired record as absent', async () => {
        await repo.commit(USER, { months: [], newAlerts: [], idempotency: { key: 'old', record: { fingerprint: 'f1', response }, now: new Date(NOW.getTime() - 10_000), expiresAt: new Date(NOW.getTime() - 1000) } });
        expect(await repo.getIdempotencyRecord(USER, 'old', NOW)).to.equal(null);
        await repo.commit(USER, { months: [], newAlerts: [], idempotency: { key: 'old', record: { fingerprint: 'f2', response }, now: NOW, expiresAt: new Date(NOW.getTime() + 60_000) } });
        expect((await repo.getIdempotencyRecord(USER, 'old', NOW))!.fingerprint).to.equal('f2');
      });
    });

    describe('listing a month', () => {
      it('lists newest date first, page by page, each expense exactly once', async () => {
        const dates = ['2026-11-03', '2026-11-28', '2026-11-15', '2026-11-15', '2026-11-01', '2026-11-30', '2026-11-15'];
        const added = [];
        for (const date of dates) {
          const e = expense({ date });
          added.push(e);
          await addExpense(USER, e);
        }
        await addExpense(USER, expense({ date: '2026-10-31' }));
        await addExpense(USER, expense({ date: '2026-12-01' }));
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await repo.listExpenses(USER, { month: '2026-11', limit: 3, ...(cursor ? { cursor } : {}) });
          expect(page.items.length).to.be.at.most(3);
          seen.push(...page.items.map((e) => e.id));
          cursor = page.nextCursor ?? undefined;
          pages += 1;
        } while (cursor);
        expect(pages).to.equal(3);
        const expected = [...added].sort((a, b) => (`${b.date}${b.createdAt}` < `${a.date}${a.createdAt}` ? -1 : 1)).map((e) => e.id);
        expect(seen).to.deep.equal(expected);
      });

      it('reports no next page when the last page is exactly full', async () => {
        for (let i = 0; i < 4; i++) await addExpense(USER, expense({ date: `2026-11-0${i + 1}` }));
        const first = await repo.listExpenses(USER, { month: '2026-11', limit: 2 });
        const second = await repo.listExpenses(USER, { month: '2026-11', limit: 2, cursor: first.nextCursor! });
        expect(second.items).to.have.length(2);
        expect(second.nextCursor).to.equal(null);
        expect((await repo.listExpenses(USER, { month: '2026-11', limit: 4 })).nextCursor).to.equal(null);
      });

      it('filters by category across pages even when the category is sparse', async () => {
        const food: string[] = [];
        for (let day = 1; day <= 28; day++) {
          const e = expense({ date: `2026-11-${String(day).padStart(2, '0')}`, category: day % 7 === 0 ? 'Food' : 'Transport' });
          if (e.category === 'Food') food.unshift(e.id);
          await addExpense(USER, e);
        }
        const first = await repo.listExpenses(USER, { month: '2026-11', category: 'Food', limit: 3 });
        expect(first.items.map((e) => e.id)).to.deep.equal(food.slice(0, 3));
        expect(first.nextCursor).to.be.a('string');
        const second = await repo.listExpenses(USER, { month: '2026-11', category: 'Food', limit: 3, cursor: first.nextCursor! });
        expect(second.items.map((e) => e.id)).to.deep.equal(food.slice(3));
        expect(second.nextCursor).to.equal(null);
      });

      it('rejects a cursor it did not issue, or one issued for another month', async () => {
        for (let i = 0; i < 3; i++) await addExpense(USER, expense({ date: '2026-11-05' }));
        const page = await repo.listExpenses(USER, { month: '2026-11', limit: 1 });
        await expectRejection(repo.listExpenses(USER, { month: '2026-12', limit: 1, cursor: page.nextCursor! }), ValidationError);
        await expectRejection(repo.listExpenses(USER, { month: '2026-11', limit: 1, cursor: 'not-a-cursor' }), ValidationError);
        await expectRejection(repo.listExpenses(USER, { month: '2026-11', limit: 1, cursor: '%%%' }), ValidationError);
      });
    });
  });
}

export async function expectRejection(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as Error;
  }
  expect.fail(`expected a ${type.name}`);
}
