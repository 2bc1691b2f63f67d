/** Types for build.mjs (plain JS so Node runs it without a loader). */
export declare const JS_BUDGET_GZIP: number;

export interface BuildClientOptions {
  /** Default: client/dist. Emptied first. */
  outDir?: string;
  /** Default: true. */
  minify?: boolean;
  /** Receives the size report lines; default console.log. */
  log?: (line: string) => void;
}

export interface BuiltFile {
  /** Path relative to outDir, e.g. "assets/app-4F2K.js". */
  file: string;
  /** `initial`: loaded with the first screen; `lazy`: a screen's chunk loaded on demand. */
  kind: 'html' | 'css' | 'initial' | 'lazy' | 'service-worker';
  bytes: number;
  gzipBytes: number;
}

export interface ClientBuild {
  outDir: string;
  files: BuiltFile[];
  /** The first screen's JavaScript, gzipped (the 30 KB budget). */
  jsGzipBytes: number;
  lazyJsGzipBytes: number;
  serviceWorkerGzipBytes: number;
}

export declare function buildClient(options?: BuildClientOptions): Promise<ClientBuild>;
