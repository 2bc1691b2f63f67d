import type { Container } from 'inversify';
import { InMemoryNotifier } from '../../src/adapters/memory/memory-notifier.js';
import { TOKENS, type LedgerRepository, type Logger } from '../../src/application/ports.js';
import { createContainer, type RuntimeConfig } from '../../src/composition-root.js';
import { FixedClock } from './fixtures.js';

export class RecordingLogger implements Logger {
  readonly lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
  info(message: string, details?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, ...(details ? { details } : {}) });
  }
  error(message: string, details?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, ...(details ? { details } : {}) });
  }
}

export interface TestApp {
  container: Container;
  clock: FixedClock;
  notifier: InMemoryNotifier;
  ledger: LedgerRepository;
  logger: RecordingLogger;
  get<T>(useCase: new (...args: never[]) => T): T;
}

/** The real composition root, with a settable clock, a recording notifier and a quiet logger. */
export function testApp(overrides: Partial<RuntimeConfig> = {}): TestApp {
  const container = createContainer({ storage: 'memory', notifier: 'memory', tableName: 'Expenses', region: 'local', allowedOrigins: [], ...overrides });
  const clock = new FixedClock();
  const logger = new RecordingLogger();
  container.rebind(TOKENS.Clock).toConstantValue(clock);
  container.rebind(TOKENS.Logger).toConstantValue(logger);
  return {
    container, clock, logger,
    notifier: container.get(TOKENS.Notifier) as InMemoryNotifier,
    ledger: container.get(TOKENS.LedgerRepository),
    get: <T>(useCase: new (...args: never[]) => T) => container.get(useCase as never) as T,
  };
}
