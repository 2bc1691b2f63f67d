/** One benchmark of `npm run bench`: it prints its own tables and cleans up everything it started. */
export interface Benchmark {
  name: string;
  title: string;
  run(): Promise<void>;
}
