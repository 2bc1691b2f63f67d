import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import mime from 'mime';
import { securityHeaders } from '../../../infra/security-headers.js';

/** The deployed site's headers, with the API on this same origin: connect-src is 'self' alone. */
const SECURITY_HEADERS = securityHeaders([]);

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>Budget alerts</title>
<h1>Budget alerts</h1><p>The web client is not built yet: run <code>npm run build</code>. The API is live under <a href="/api/health">/api</a>.</p>`;

/**
 * Serves the built web client. Hashed assets are cached for a year; index.html and config.json
 * are revalidated so a new build shows at once. Unknown extension-less paths get index.html.
 * Every answer carries the security headers (CSP, Permissions-Policy, ...).
 */
export async function serveStatic(clientDir: string, pathname: string, res: ServerResponse): Promise<void> {
  const root = resolve(clientDir);
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    relative = '/';
  }
  if (relative === '/' || extname(relative) === '') relative = '/index.html';
  const file = resolve(join(root, relative));
  if (!file.startsWith(root + sep)) return notFound(res);
  try {
    if (!(await stat(file)).isFile()) return notFound(res);
    const content = await readFile(file);
    const immutable = relative.startsWith('/assets/');
    res.writeHead(200, {
      'content-type': mime.getType(file) ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    });
    res.end(content);
  } catch {
    if (relative === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      res.end(PLACEHOLDER);
      return;
    }
    notFound(res);
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
  res.end('Not found');
}
