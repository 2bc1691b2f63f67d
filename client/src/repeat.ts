import { ApiError } from './api.js';

/** How many network failures or 5xx answers in a row a long request survives before the page gives up. */
const REPEAT_ATTEMPTS = 5;

/**
 * Repeats a request the server answers in steps (a category merge, an import's commit or undo: a
 * 202 means it stopped between batches and the same request carries on) until `done` says the
 * answer is the last. A network failure or 5xx is repeated too, up to REPEAT_ATTEMPTS in a row: the
 * server picks up where it stopped. `onStep` sees each answer, `onRetry` each failure repeated.
 */
export function repeatUntilDone<T, D extends T>(request: () => Promise<T>, done: (answer: T) => answer is D, onStep?: (answer: T) => void, onRetry?: () => void): Promise<D>;
export function repeatUntilDone<T>(request: () => Promise<T>, done: (answer: T) => boolean, onStep?: (answer: T) => void, onRetry?: () => void): Promise<T>;
export async function repeatUntilDone<T>(request: () => Promise<T>, done: (answer: T) => boolean, onStep: (answer: T) => void = () => {}, onRetry: () => void = () => {}): Promise<T> {
  for (let failures = 0; ;) {
    try {
      const answer = await request();
      onStep(answer);
      if (done(answer)) return answer;
      failures = 0;
    } catch (error) {
      const retryable = error instanceof ApiError && (error.isNetwork || error.status >= 500);
      if (!retryable || ++failures >= REPEAT_ATTEMPTS) throw error;
      onRetry();
    }
  }
}
