import { expect } from 'chai';
import type { LedgerRepository, ReportRepository } from '../../src/application/ports.js';

export interface ReportFixture {
  reports: ReportRepository;
  /** Where schedules are written (with the budget that turns the report on or off). */
  ledger: LedgerRepository;
  cleanup(): Promise<void>;
}

const NOW = new Date('2026-12-01T08:00:00.000Z');
const DUE = NOW.getTime();
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

/** The behaviour every ReportRepository adapter must share; run against each one. */
export function reportRepositoryContract(name: string, create: () => Promise<ReportFixture>): void {
  describe(`ReportRepository contract: ${name}`, function () {
    this.timeout(30_000);
    let fixture: ReportFixture;
    let reports: ReportRepository;
    const schedule = (userId: string, dueAt: number | null) => fixture.ledger.commit(userId, {
      months: [], newAlerts: [], reportSchedule: dueAt === null ? { write: 'delete' } : { write: 'put', dueAt },
    });

    beforeEach(async () => {
      fixture = await create();
      reports = fixture.reports;
    });
    afterEach(async () => fixture.cleanup());

    it('lists the users whose report is due, soonest first, up to a limit; a stopped schedule is not listed', async () => {
      await schedule('ana', DUE - 2000);
      await schedule('ben', DUE);
      await schedule('cy', DUE + 1);
      await schedule('dee', DUE - 1000);
      await schedule('dee', null);
      expect(await reports.listDue(NOW, 10)).to.deep.equal([{ userId: 'ana', dueAt: DUE - 2000 }, { userId: 'ben', dueAt: DUE }]);
      expect(await reports.listDue(NOW, 1)).to.deep.equal([{ userId: 'ana', dueAt: DUE - 2000 }]);
    });

    it('holds a due user once: a second hold of the same listing fails, and the user is due again after the hold', async () => {
      await schedule('ana', DUE);
      expect(await reports.holdForSending('ana', DUE, NOW, 60_000)).to.equal(true);
      expect(await reports.holdForSending('ana', DUE, NOW, 60_000)).to.equal(false);
      expect(await reports.listDue(NOW, 10)).to.deep.equal([]);
      expect(await reports.listDue(at(60_000), 10)).to.deep.equal([{ userId: 'ana', dueAt: DUE + 60_000 }]);
      expect(await reports.holdForSending('nobody', DUE, NOW, 60_000)).to.equal(false);
    });

    it('lets one sender claim a month\'s report; once sent, it is never claimed again, and the schedule moves on', async () => {
      await schedule('ana', DUE);
      const claim = await reports.claim('ana', '2026-11', NOW, 60_000);
      expect(claim).to.include({ attempts: 1 }).and.have.property('token');
      expect(await reports.claim('ana', '2026-11', NOW, 60_000)).to.equal(null);
      await reports.markSent('ana', '2026-11', claim as Exclude<typeof claim, 'sent' | null>, DUE + 1000);
      expect(await reports.claim('ana', '2026-11', at(3_600_000), 60_000)).to.equal('sent');
      expect(await reports.listDue(at(1000), 10)).to.deep.equal([{ userId: 'ana', dueAt: DUE + 1000 }]);
      // Another month, another user: their own records.
      expect(await reports.claim('ana', '2026-12', NOW, 60_000)).to.include({ attempts: 1 });
      expect(await reports.claim('ben', '2026-11', NOW, 60_000)).to.include({ attempts: 1 });
    });

    it('takes a claim back after a failed attempt (from its retry time) or a lapsed lease, counting attempts; a stale claim settles nothing', async () => {
      const first = await reports.claim('ana', '2026-11', NOW, 60_000) as { token: string; attempts: number };
      await reports.release('ana', '2026-11', first, at(30_000));
      expect(await reports.claim('ana', '2026-11', at(29_000), 60_000)).to.equal(null);
      const second = await reports.claim('ana', '2026-11', at(30_000), 60_000) as { token: string; attempts: number };
      expect(second.attempts).to.equal(2);
      // The second sender's lease lapses; a third takes over; the second's late outcome changes nothing.
      const third = await reports.claim('ana', '2026-11', at(90_000), 60_000) as { token: string; attempts: number };
      expect(third.attempts).to.equal(3);
      await reports.markSent('ana', '2026-11', second, DUE);
      expect(await reports.claim('ana', '2026-11', at(200_000), 60_000)).to.include({ attempts: 4 });
    });

    it('moves a schedule on only while the user still has one', async () => {
      await reports.reschedule('ana', DUE);
      expect(await reports.listDue(at(1000), 10)).to.deep.equal([]);
      await schedule('ben', DUE + 5000);
      await reports.reschedule('ben', DUE);
      expect(await reports.listDue(NOW, 10)).to.deep.equal([{ userId: 'ben', dueAt: DUE }]);
    });
  });
}
