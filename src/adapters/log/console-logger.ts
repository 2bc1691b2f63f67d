import { injectable } from 'inversify';
import type { Logger } from '../../application/ports.js';

/** One JSON object per line: what CloudWatch Logs Insights queries best. */
@injectable()
export class ConsoleLogger implements Logger {
  info(message: string, details: Record<string, unknown> = {}): void {
    console.log(JSON.stringify({ level: 'info', message, ...details }));
  }

  error(message: string, details: Record<string, unknown> = {}): void {
    console.error(JSON.stringify({ level: 'error', message, ...details }));
  }
}
