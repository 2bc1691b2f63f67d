import { injectable } from 'inversify';
import type { ReportMailer, ReportMessage } from '../../application/ports.js';

/** Keeps the reports it is asked to send, for tests; `failures` makes the next sends fail, as SES might. */
@injectable()
export class InMemoryReportMailer implements ReportMailer {
  readonly sent: ReportMessage[] = [];
  failures = 0;

  async send(message: ReportMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('SES is unavailable (simulated)');
    }
    this.sent.push(structuredClone(message));
  }
}
