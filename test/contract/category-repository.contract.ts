import { expect } from 'chai';
import { ConcurrentChangeError, defaultBudgetRecord, type CategoryRepository, type LedgerRepository } from '../../src/application/ports.js';
import { defaultCategories, type Category } from '../../src/domain/category.js';

export interface CategoryFixture {
  categories: CategoryRepository;
  /** The ledger sharing the store: the budget a save writes is read through it. */
  ledger: LedgerRepository;
  cleanup(): Promise<void>;
}

const USER = 'user-a';
const OTHER = 'user-b';
const pets: Category = { id: 'Zq3-_x9ab0Kc', name: 'Pets', color: '#ad1457', archived: false };

/** The behaviour every CategoryRepository adapter must have. */
export function categoryRepositoryContract(name: string, create: () => Promise<CategoryFixture>): void {
  describe(`CategoryRepository contract: ${name}`, function () {
    this.timeout(20_000);
    let fixture: CategoryFixture;
    beforeEach(async () => {
      fixture = await create();
    });
    afterEach(async () => fixture.cleanup());

    const save = (categories: Category[], expectedVersion: number, budgetVersion: number, user = USER) => fixture.categories.saveCategories(user, {
      categories, expectedVersion,
      budget: { record: { ...defaultBudgetRecord(), categoryIds: categories.filter((c) => !c.archived).map((c) => c.id) }, expectedVersion: budgetVersion },
    });

    it('gives the ten defaults, ids equal to names, at version 0 until the user changes them', async () => {
      const { categories, version } = await fixture.categories.getCategories(USER);
      expect(version).to.equal(0);
      expect(categories).to.deep.equal(defaultCategories());
      expect(categories.map((c) => c.id)).to.deep.equal(['Food', 'Transport', 'Housing', 'Utilities', 'Health', 'Entertainment', 'Shopping', 'Travel', 'Education', 'Other']);
    });

    it('stores the list in order with the budget\'s active ids, version by version, per user', async () => {
      const first = [...defaultCategories(), pets];
      await save(first, 0, 0);
      expect(await fixture.categories.getCategories(USER)).to.deep.equal({ categories: first, version: 1 });
      expect((await fixture.ledger.getBudget(USER))).to.deep.include({ version: 1 });
      expect((await fixture.ledger.getBudget(USER)).record.categoryIds).to.deep.equal(first.map((c) => c.id));
      const second = first.map((c) => (c.id === 'Food' ? { ...c, name: 'Groceries', archived: true } : c));
      await save(second, 1, 1);
      expect(await fixture.categories.getCategories(USER)).to.deep.equal({ categories: second, version: 2 });
      expect((await fixture.ledger.getBudget(USER)).record.categoryIds).to.not.include('Food');
      expect(await fixture.categories.getCategories(OTHER)).to.deep.equal({ categories: defaultCategories(), version: 0 });
    });

    it('writes neither the list nor the budget when either moved past the version read', async () => {
      await save([...defaultCategories(), pets], 0, 0);
      // The list moved on (another save): refused, and the budget is untouched.
      let error = await save(defaultCategories(), 0, 1).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ConcurrentChangeError);
      expect((await fixture.ledger.getBudget(USER)).version).to.equal(1);
      // The budget moved on (an expense write): refused, and the list is untouched.
      await fixture.ledger.commit(USER, { months: [], newAlerts: [], budget: { record: (await fixture.ledger.getBudget(USER)).record, expectedVersion: 1 } });
      error = await save(defaultCategories(), 1, 1).then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ConcurrentChangeError);
      expect(await fixture.categories.getCategories(USER)).to.deep.equal({ categories: [...defaultCategories(), pets], version: 1 });
    });

    it('keeps names exactly as given: Unicode, quotes and 40 characters', async () => {
      const odd: Category = { id: 'a', name: 'Café "Olé" – 東京 🍜 '.trim().padEnd(40, 'x'), color: '#123abc', archived: false };
      await save([odd], 0, 0);
      expect((await fixture.categories.getCategories(USER)).categories).to.deep.equal([odd]);
    });
  });
}
