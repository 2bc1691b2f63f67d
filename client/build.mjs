// Builds the web client: client/dist/index.html + hashed assets/*.js|css (the first screen's scripts and
// the lazily loaded screens' chunks) + public files (config.json, manifest, icons) + sw.js (the service
// worker, with Workbox's precache list of all of it).
// Usage: node client/build.mjs [--out dir] [--no-minify]. Also importable: buildClient({ outDir, minify }).
import { build } from 'esbuild';
import { getManifest } from 'workbox-build';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const clientDir = dirname(fileURLToPath(import.meta.url));

/** Initial JavaScript budget, gzipped bytes (the 30 KB). */
export const JS_BUDGET_GZIP = 30 * 1024;

/**
 * @param {{ outDir?: string, minify?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<import('./build.d.mts').ClientBuild>}
 */
export async function buildClient(options = {}) {
  const outDir = resolve(options.outDir ?? join(clientDir, 'dist'));
  const minify = options.minify ?? true;
  const log = options.log ?? ((line) => console.log(line));

  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  await cp(join(clientDir, 'public'), outDir, { recursive: true });

  const result = await build({
    absWorkingDir: clientDir,
    entryPoints: { app: 'src/main.tsx', styles: 'src/styles.css' },
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    // Screens below the first (import, categories, recurring, export, trends) load on demand.
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });

  const outputs = result.metafile.outputs;
  const abs = (p) => resolve(clientDir, p);
  const href = (p) => `/${relative(outDir, p).split('\\').join('/')}`;
  const appEntry = Object.keys(outputs).find((p) => outputs[p].entryPoint === 'src/main.tsx');
  const css = Object.keys(outputs).filter((p) => p.endsWith('.css')).map(abs);
  // The first screen's JavaScript: the entry and every chunk it imports statically, transitively.
  const initial = new Set();
  const visit = (p) => {
    if (initial.has(p)) return;
    initial.add(p);
    for (const i of outputs[p].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(appEntry);
  const initialJs = [...initial].map(abs);
  const lazyJs = Object.keys(outputs).filter((p) => p.endsWith('.js') && !initial.has(p)).map(abs);
  const template = await readFile(join(clientDir, 'index.html'), 'utf8');
  const html = template
    .replace('<!-- build:css -->', css.map((p) => `<link rel="stylesheet" href="${href(p)}">`).join('\n  '))
    .replace('<!-- build:js -->', [
      `<script type="module" src="${href(abs(appEntry))}"></script>`,
      ...initialJs.slice(1).map((p) => `<link rel="modulepreload" href="${href(p)}">`),
    ].join('\n  '));
  await writeFile(join(outDir, 'index.html'), html);

  const serviceWorker = await buildServiceWorker(outDir, minify);

  const measure = async (file, kind) => {
    const content = await readFile(file);
    return { file: relative(outDir, file), kind, bytes: (await stat(file)).size, gzipBytes: gzipSync(content, { level: 9 }).length };
  };
  const files = [
    await measure(join(outDir, 'index.html'), 'html'),
    ...(await Promise.all(css.map((f) => measure(f, 'css')))),
    ...(await Promise.all(initialJs.map((f) => measure(f, 'initial')))),
    ...(await Promise.all(lazyJs.map((f) => measure(f, 'lazy')))),
    await measure(join(outDir, 'sw.js'), 'service-worker'),
  ];
  const sum = (kind) => files.filter((f) => f.kind === kind).reduce((n, f) => n + f.gzipBytes, 0);
  const jsGzipBytes = sum('initial');

  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  log(`Web client built into ${relative(process.cwd(), outDir) || '.'}${minify ? '' : ' (not minified)'}:`);
  for (const f of files) log(`  ${f.file.padEnd(40)} ${f.kind.padEnd(14)} ${kb(f.bytes).padStart(9)}  ${kb(f.gzipBytes).padStart(8)} gzipped`);
  log(`  initial JavaScript: ${kb(jsGzipBytes)} gzipped (budget ${kb(JS_BUDGET_GZIP)}); lazily loaded: ${kb(sum('lazy'))}; service worker: ${kb(sum('service-worker'))}; precached: ${serviceWorker.precached} files`);
  if (jsGzipBytes > JS_BUDGET_GZIP) throw new Error(`The initial JavaScript is ${kb(jsGzipBytes)} gzipped, over the ${kb(JS_BUDGET_GZIP)} budget`);
  return { outDir, files, jsGzipBytes, lazyJsGzipBytes: sum('lazy'), serviceWorkerGzipBytes: sum('service-worker') };
}

/**
 * sw.js: client/sw/service-worker.ts bundled with Workbox's precache list of the build (each file with
 * its revision; hashed assets are their own revision). config.json is left out: it is fetched fresh.
 */
async function buildServiceWorker(outDir, minify) {
  const { manifestEntries, warnings } = await getManifest({
    globDirectory: outDir,
    globPatterns: ['index.html', 'assets/*.{js,css}', 'icons/*.png', 'manifest.webmanifest'],
    dontCacheBustURLsMatching: /^assets\//,
  });
  if (warnings.length) throw new Error(`Workbox: ${warnings.join('; ')}`);
  const entries = manifestEntries.map((e) => ({ url: `/${e.url}`, revision: e.revision }));
  await build({
    absWorkingDir: clientDir,
    entryPoints: ['sw/service-worker.ts'],
    outfile: join(outDir, 'sw.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', 'self.__WB_MANIFEST': JSON.stringify(entries) },
  });
  return { precached: entries.length };

}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  try {
    await buildClient({ outDir: outIndex >= 0 ? args[outIndex + 1] : undefined, minify: !args.includes('--no-minify') });
  } catch (error) {
    console.error(`Client build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
