// Builds the web client: client/dist/index.html + hashed assets/*.js|css + public files (config.json).
// Usage: node client/build.mjs [--out dir] [--no-minify]. Also importable: buildClient({ outDir, minify }).
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const clientDir = dirname(fileURLToPath(import.meta.url));

/** Initial JavaScript budget, gzipped bytes (the 30 KB). */
export const JS_BUDGET_GZIP = 30 * 1024;

/**
 * @param {{ outDir?: string, minify?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ outDir: string, files: { file: string, bytes: number, gzipBytes: number }[], jsGzipBytes: number }>}
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
    splitting: false,
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

  const outputs = Object.keys(result.metafile.outputs).map((p) => resolve(clientDir, p));
  const js = outputs.filter((p) => p.endsWith('.js'));
  const css = outputs.filter((p) => p.endsWith('.css'));
  const href = (p) => `/${relative(outDir, p).split('\\').join('/')}`;
  const template = await readFile(join(clientDir, 'index.html'), 'utf8');
  const html = template
    .replace('<!-- build:css -->', css.map((p) => `<link rel="stylesheet" href="${href(p)}">`).join('\n  '))
    .replace('<!-- build:js -->', js.map((p) => `<script type="module" src="${href(p)}"></script>`).join('\n  '));
  await writeFile(join(outDir, 'index.html'), html);

  const files = [];
  for (const file of [join(outDir, 'index.html'), ...js, ...css]) {
    const content = await readFile(file);
    files.push({ file: relative(outDir, file), bytes: (await stat(file)).size, gzipBytes: gzipSync(content, { level: 9 }).length });
  }
  const jsGzipBytes = files.filter((f) => f.file.endsWith('.js')).reduce((n, f) => n + f.gzipBytes, 0);

  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  log(`Web client built into ${relative(process.cwd(), outDir) || '.'}${minify ? '' : ' (not minified)'}:`);
  for (const f of files) log(`  ${f.file.padEnd(34)} ${kb(f.bytes).padStart(9)}  ${kb(f.gzipBytes).padStart(8)} gzipped`);
  log(`  initial JavaScript: ${kb(jsGzipBytes)} gzipped (budget ${kb(JS_BUDGET_GZIP)})`);
  if (jsGzipBytes > JS_BUDGET_GZIP) throw new Error(`The initial JavaScript is ${kb(jsGzipBytes)} gzipped, over the ${kb(JS_BUDGET_GZIP)} budget`);
  return { outDir, files, jsGzipBytes };
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
