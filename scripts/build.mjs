// `npm run build`: the Lambda bundles (esbuild, ESM, node20, arm64-agnostic JS) and the web
// client. Prints each bundle's size, minified and gzipped.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const lambdaEntryPoints = {
  api: 'src/entrypoints/lambda/api.ts',
  'alert-delivery': 'src/entrypoints/lambda/alert-delivery.ts',
  imports: 'src/entrypoints/lambda/imports.ts',
  recurring: 'src/entrypoints/lambda/recurring.ts',
  'report-scheduler': 'src/entrypoints/lambda/report-scheduler.ts',
  'report-sender': 'src/entrypoints/lambda/report-sender.ts',
};

/** esbuild's options for one Lambda bundle (`<outdir>/index.mjs`); the benchmarks build variants of it. */
export function lambdaBuildOptions(entryPoint, outdir) {
  return {
    entryPoints: { index: entryPoint },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    sourcemap: 'linked',
    // ESM builds of class-validator and friends tree-shake far better than their CommonJS ones.
    mainFields: ['module', 'main'],
    keepNames: true,
    // Lambda passes credentials in environment variables: skip the SDK's full provider chain.
    alias: { '@aws-sdk/credential-provider-node': './src/entrypoints/lambda/lambda-credentials.ts' },
    legalComments: 'none',
    // Some bundled CommonJS dependencies call require(); give ESM output one.
    banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
    logLevel: 'warning',
  };
}

/** Builds one Lambda bundle into `<outRoot>/<name>/index.mjs` and returns its sizes in bytes. */
export async function buildLambda(name, entryPoint, outRoot = 'dist/lambda') {
  const outdir = `${outRoot}/${name}`;
  rmSync(outdir, { recursive: true, force: true });
  await build(lambdaBuildOptions(entryPoint, outdir));
  const code = readFileSync(`${outdir}/index.mjs`);
  return { name, bytes: code.length, gzipBytes: gzipSync(code).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, entry] of Object.entries(lambdaEntryPoints)) {
    const size = await buildLambda(name, entry);
    console.log(`lambda ${name.padEnd(15)} ${kb(size.bytes).padStart(10)} minified ${kb(size.gzipBytes).padStart(10)} gzipped`);
  }
  if (existsSync('client/build.mjs')) {
    const { buildClient } = await import('../client/build.mjs');
    await buildClient({ outDir: 'client/dist', minify: true });
  }
}
