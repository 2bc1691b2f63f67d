import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import type { ReportClaim, ReportRepository } from '../../application/ports.js';
import { InMemoryLedgerRepository } from './memory-ledger-repository.js';

/** Report schedules and records in process memory, for tests and `STORAGE=memory`, beside the budget that turns them on. */
@injectable()
export class InMemoryReportRepository implements ReportRepository {
  constructor(@inject(InMemoryLedgerRepository) private readonly ledger: InMemoryLedgerRepository) {}

  async listDue(now: Date, limit: number): Promise<{ userId: string; dueAt: number }[]> {
    return this.ledger.allReportSchedules().filter((s) => s.dueAt <= now.getTime()).sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
  }

  async holdForSending(userId: string, dueAt: number, now: Date, leaseMs: number): Promise<boolean> {
    const reports = this.ledger.reportsOf(userId);
    if (reports.dueAt !== dueAt) return false;
    reports.dueAt = now.getTime() + leaseMs;
    return true;
  }

  async claim(userId: string, month: string, now: Date, leaseMs: number): Promise<ReportClaim | 'sent' | null> {
    const { records } = this.ledger.reportsOf(userId);
    const record = records.get(month);
    if (record?.sent) return 'sent';
    if (record && record.leaseUntil > now.getTime()) return null;
    const claim = { token: randomUUID(), attempts: (record?.attempts ?? 0) + 1 };
    records.set(month, { sent: false, token: claim.token, leaseUntil: now.getTime() + leaseMs, attempts: claim.attempts });
    return claim;
  }

  async markSent(userId: string, month: string, claim: ReportClaim, nextDueAt: number): Promise<void> {
    const record = this.ledger.reportsOf(userId).records.get(month);
    if (record?.token === claim.token) Object.assign(record, { sent: true, token: null });
    await this.reschedule(userId, nextDueAt);
  }

  async release(userId: string, month: string, claim: ReportClaim, retryAt: Date): Promise<void> {
    const record = this.ledger.reportsOf(userId).records.get(month);
    if (record?.token === claim.token) Object.assign(record, { token: null, leaseUntil: retryAt.getTime() });
  }

  async reschedule(userId: string, nextDueAt: number): Promise<void> {
    const reports = this.ledger.reportsOf(userId);
    if (reports.dueAt !== null) reports.dueAt = nextDueAt;
  }
}
