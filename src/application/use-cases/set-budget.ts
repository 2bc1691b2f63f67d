import { inject, injectable } from 'inversify';
import { recordAlertEmailRequest } from '../../domain/alert-email.js';
import { budgetProblems, checkCategoryLimits, type Budget } from '../../domain/budget.js';
import { updateCarryPlans } from '../../domain/carry.js';
import { reportDueAt } from '../../domain/report.js';
import { CurrencyInUseError } from '../../domain/errors.js';
import { localMonth } from '../../domain/time-zone.js';
import { budgetWrite, retryOnConflict, UserWriteQueue } from '../ledger-write.js';
import { MonthWriter } from '../month-writes.js';
import { activeCategoryIdsOf, TOKENS, type BudgetRecord, type Clock, type LedgerChange, type LedgerRepository, type Notifier, type ReportSettings } from '../ports.js';
import type { WriteRateLimit } from '../../domain/write-rate.js';
import { DeliverAlerts } from './deliver-alerts.js';
import { UnsubscribeStaleAddresses } from './unsubscribe-stale-addresses.js';

/**
 * Replaces the budget and applies it to the current month at once: lowering a limit below what
 * was already spent alerts now, not at the next expense. Carry-over starts this month for a scope
 * newly marked, and a changed limit of a carrying scope applies from this month on (see carry.ts). A new alert address is subscribed before
 * the budget is saved (if that fails nothing is saved); the old address's subscription is recorded
 * as stale in the same write and unsubscribed after it.
 */
@injectable()
export class SetBudget {
  constructor(
    @inject(TOKENS.LedgerRepository) private readonly ledger: LedgerRepository,
    @inject(MonthWriter) private readonly monthWriter: MonthWriter,
    @inject(TOKENS.Notifier) private readonly notifier: Notifier,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(DeliverAlerts) private readonly deliverAlerts: DeliverAlerts,
    @inject(UnsubscribeStaleAddresses) private readonly unsubscribeStale: UnsubscribeStaleAddresses,
    @inject(UserWriteQueue) private readonly writes: UserWriteQueue,
    @inject(TOKENS.WriteRateLimit) private readonly writeRateLimit: WriteRateLimit,
    @inject(TOKENS.ReportSettings) private readonly reports: ReportSettings,
  ) {}

  /** `problems`: what the edge already found wrong (refused together with unknown or archived limit categories). */
  async execute(userId: string, budget: Budget, problems: Record<string, string> = {}): Promise<Budget> {
    const found = { ...budgetProblems(budget), ...problems };
    if (budget.monthlyReport && !this.reports.enabled) found.monthlyReport ??= 'is not available here: this deployment has no sending address (reportSender)';
    if (Object.keys(found).length) checkCategoryLimits(budget, activeCategoryIdsOf((await this.ledger.getBudget(userId)).record), found);
    const now = this.clock.now();
    // "This month" in the user's own zone (the one being set): its spending is evaluated now.
    const currentMonth = localMonth(now, budget.timeZone);
    const { alerts, record } = await this.writes.run(userId, () => retryOnConflict(async () => {
      const read = await this.monthWriter.read(userId, [currentMonth], now, {
        rulesFor: (record) => ({ budget, plans: updateCarryPlans(record.carryPlans, budget, currentMonth) }),
      });
      const stored = read.budget;
      // Race-free: every expense write commits on the budget's version, so an expense added after
      // this check makes the commit below fail and the retry sees it.
      checkCategoryLimits(budget, activeCategoryIdsOf(stored.record));
      const currency = stored.record.budget.currency;
      if (budget.currency !== currency && stored.record.recurringCount > 0) throw new CurrencyInUseError(currency, 'recurring expenses exist');
      if (budget.currency !== currency && await this.ledger.hasExpenses(userId)) throw new CurrencyInUseError(currency);
      // Charged before the address is subscribed: a refused write sends no email.
      const charged = budgetWrite(stored, this.writeRateLimit, now);
      const record = { ...await this.withAlertAddress(userId, charged.record, budget, now), carryPlans: read.rules.plans };
      // The current month (and, with carry-over, the later ones) is evaluated under the new budget; its alerts ride on the month write.
      const change = await this.monthWriter.plan(userId, read, [read.months.get(currentMonth)!.totals], now);
      await this.ledger.commit(userId, { ...change, budget: { record, expectedVersion: charged.expectedVersion }, ...reportSchedule(stored.record.budget, budget, currentMonth) });
      return { alerts: change.newAlerts, record };
    }));
    await this.unsubscribeStale.afterCommit(userId, record);
    await this.deliverAlerts.afterCommit(userId, alerts, record);
    return budget;
  }

  /** The record to store for `budget`: unchanged address bookkeeping, or the new address subscribed and the old one stale. */
  private async withAlertAddress(userId: string, stored: BudgetRecord, budget: Budget, now: Date): Promise<BudgetRecord> {
    const email = budget.alertEmail;
    if (email === (stored.subscription?.email ?? null)) return { ...stored, budget };
    const staleSubscriptions = { ...stored.staleSubscriptions };
    if (stored.subscription) staleSubscriptions[stored.subscription.subscriptionArn] = stored.subscription.email;
    if (email === null) return { ...stored, budget, subscription: null, staleSubscriptions };
    const alertEmailRequests = recordAlertEmailRequest(stored.alertEmailRequests, now);
    // SNS keeps one subscription per address: an old one of ours for this address goes first, so
    // the new subscription is a fresh one that no pending unsubscribe can reach.
    for (const [subscriptionArn, address] of Object.entries(staleSubscriptions)) {
      if (address.toLowerCase() !== email.toLowerCase()) continue;
      await this.notifier.unsubscribe(subscriptionArn);
      delete staleSubscriptions[subscriptionArn];
    }
    const subscription = await this.notifier.subscribe(userId, email);
    return { ...stored, budget, subscription, alertEmailRequests, staleSubscriptions };
  }
}

/** The report schedule's part of a budget save: started (or moved to a new time zone's morning), stopped, or left as it is. */
function reportSchedule(stored: Budget, budget: Budget, currentMonth: string): Pick<LedgerChange, 'reportSchedule'> {
  if (!budget.monthlyReport) return stored.monthlyReport ? { reportSchedule: { write: 'delete' } } : {};
  if (stored.monthlyReport && stored.timeZone === budget.timeZone) return {};
  // The month running now is the first one reported, on the 1st after it.
  return { reportSchedule: { write: 'put', dueAt: reportDueAt(currentMonth, budget.timeZone) } };
}
