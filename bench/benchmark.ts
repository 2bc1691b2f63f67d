/** One benchmark of `npm run bench`: it prints its own tables and cleans up everything it started. */
export interface Benchmark {
  name: string;
  title: string;
  run(): Promise<void>;
}

/**
 * A write rate no benchmark meets: they seed hundreds of expenses for one user in seconds, which the
 * product's per-user limit (60 at once, then 1 a second) rightly refuses.
 */
export const BENCH_WRITES = { burst: 1_000_000, refillPerSecond: 1000 };
