import { inject, injectable } from 'inversify';
import { addMonths, type Expense } from '../../domain/expense.js';
import { buildMonthReport, renderMonthReport, reportDueAt } from '../../domain/report.js';
import { upcomingIn } from '../../domain/summary.js';
import { localMonth } from '../../domain/time-zone.js';
import { retryOnConflict } from '../ledger-write.js';
import {
  TOKENS,
  type CategoryRepository, type Clock, type LedgerRepository, type Logger, type RecurrenceRepository, type ReportMailer, type ReportQueue,
  type ReportRepository, type ReportSettings,
} from '../ports.js';
import { signUnsubscribeToken, UNSUBSCRIBE_LINK_DAYS, verifyUnsubscribeToken } from '../report-link.js';

/** How long a sender holds a report it is sending; a crashed sender's claim lapses after it. */
export const SEND_LEASE_MS = 5 * 60_000;
/** After a failed send, the report may be tried again this much later (the queue redelivers it). */
export const SEND_RETRY_MS = 60_000;
/**
 * How long a queued user stays off the due list. A message lost on the way (or one the queue gave
 * up on and moved to its dead-letter queue) is queued again by the next pass after it: a report
 * is never lost, only later.
 */
export const QUEUE_HOLD_MS = 6 * 60 * 60_000;
const DUE_PAGE = 500;

export type ReportOutcome = 'sent' | 'sent-before' | 'busy' | 'off';

/**
 * Sends one user's report of the month that ended (in their time zone), once: a conditional record
 * per user and month is claimed before SES is called and marked sent after, so duplicate messages,
 * overlapping runs and retries send nothing twice. A failed send frees the claim and throws (the
 * queue delivers the message again; after its retries, the next due pass queues the user again).
 * Only a crash between SES accepting the email and the record being marked could send it twice,
 * once the claim lapses: never lost beats never twice there.
 */
@injectable()
export class SendMonthlyReport {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.CategoryRepository) private readonly categories: CategoryRepository,
    @inject(TOKENS.RecurrenceRepository) private readonly recurrences: RecurrenceRepository,
    @inject(TOKENS.ReportRepository) private readonly reports: ReportRepository,
    @inject(TOKENS.ReportMailer) private readonly mailer: ReportMailer,
    @inject(TOKENS.ReportSettings) private readonly settings: ReportSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
  ) {}

  async execute(userId: string): Promise<ReportOutcome> {
    const now = this.clock.now();
    const { record } = await this.ledger.getBudget(userId);
    const { budget } = record;
    // Turned off (or the address cleared) after the user was queued.
    if (!budget.monthlyReport || budget.alertEmail === null) return 'off';
    const running = localMonth(now, budget.timeZone);
    const month = addMonths(running, -1);
    const nextDueAt = reportDueAt(running, budget.timeZone);
    const claim = await this.reports.claim(userId, month, now, SEND_LEASE_MS);
    if (claim === 'sent') {
      await this.reports.reschedule(userId, nextDueAt);
      return 'sent-before';
    }
    if (claim === null) return 'busy';

    const [[totals, previous], expenses, alerts, { categories }, recurrences] = await Promise.all([
      this.ledger.getMonths(userId, [month, addMonths(month, -1)]),
      this.expensesOf(userId, month),
      this.ledger.listAlerts(userId, month),
      this.categories.getCategories(userId),
      record.recurringCount > 0 ? this.recurrences.listForDisplay(userId) : Promise.resolve([]),
    ]);
    const report = buildMonthReport({
      totals: totals!.totals, previous: previous!.version > 0 ? previous!.totals : null, budget, plans: record.carryPlans,
      names: new Map(categories.map((c) => [c.id, c.name])), expenses, alerts,
      bills: upcomingIn(recurrences, running).items,
    });
    const token = signUnsubscribeToken(userId, new Date(now.getTime() + UNSUBSCRIBE_LINK_DAYS * 86_400_000), this.settings.tokenSecret);
    const unsubscribeUrl = `${this.settings.linkBase}/api/reports/unsubscribe?token=${token}`;
    try {
      await this.mailer.send({ to: budget.alertEmail, ...renderMonthReport(report, unsubscribeUrl), unsubscribeUrl });
    } catch (error) {
      // Counted by a metric filter and alarmed on (infra/monitoring.ts); the queue tries again.
      this.logger.error('monthly report send failed', { userId, month, attempt: claim.attempts, error: String(error) });
      await this.reports.release(userId, month, claim, new Date(now.getTime() + SEND_RETRY_MS));
      throw error;
    }
    await this.reports.markSent(userId, month, claim, nextDueAt);
    return 'sent';
  }

  private async expensesOf(userId: string, month: string): Promise<Expense[]> {
    const expenses: Expense[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.ledger.listExpenses(userId, { month, limit: 100, ...(cursor ? { cursor } : {}) });
      expenses.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return expenses;
  }
}

/**
 * The scheduled pass (hourly on AWS, every minute locally): pages the sparse index of users whose
 * report is due (never a Scan), holds each so the next pass does not queue it again, and queues
 * them for the senders, page after page until none is due or `deadline` passes.
 */
@injectable()
export class QueueDueReports {
  constructor(
    @inject(TOKENS.ReportRepository) private readonly reports: ReportRepository,
    @inject(TOKENS.ReportQueue) private readonly queue: ReportQueue,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(deadline?: Date): Promise<{ queued: number }> {
    let queued = 0;
    while (!deadline || this.clock.now() < deadline) {
      const now = this.clock.now();
      const due = await this.reports.listDue(now, DUE_PAGE);
      if (due.length === 0) break;
      const held = await Promise.all(due.map(async ({ userId, dueAt }) => ((await this.reports.holdForSending(userId, dueAt, now, QUEUE_HOLD_MS)) ? userId : null)));
      const users = held.filter((userId): userId is string => userId !== null);
      if (users.length) await this.queue.enqueue(users);
      queued += users.length;
    }
    return { queued };
  }
}

/** The one-click unsubscribe: the signed link's user gets the report turned off, without signing in. */
@injectable()
export class UnsubscribeMonthlyReport {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(TOKENS.ReportSettings) private readonly settings: ReportSettings,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async execute(token: string): Promise<void> {
    const userId = verifyUnsubscribeToken(token, this.settings.tokenSecret, this.clock.now());
    await retryOnConflict(async () => {
      const { record, version } = await this.ledger.getBudget(userId);
      if (!record.budget.monthlyReport) return;
      // Not charged to the write rate: it is the user's way out, whatever else they did.
      await this.ledger.commit(userId, {
        months: [], newAlerts: [],
        budget: { record: { ...record, budget: { ...record.budget, monthlyReport: false } }, expectedVersion: version },
        reportSchedule: { write: 'delete' },
      });
    });
  }
}
