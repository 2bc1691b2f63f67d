import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiHandler } from '../../adapters/http/api-handler.js';

/** Bodies beyond this are not read further; the handler answers 413 from the first bytes past its limit (5 MiB at most). */
const READ_LIMIT_BYTES = 5 * 1024 * 1024 + 64 * 1024;

/**
 * Turns a Node HTTP request into the API Gateway HTTP API (payload 2.0) event the Lambda gets,
 * with `userId` as the authenticated user, and writes the handler's answer back: the local
 * server runs the very same handler code as AWS.
 */
export async function serveThroughHandler(handler: ApiHandler, userId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'local', apiId: 'local', domainName: 'localhost', domainPrefix: 'localhost',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '', userAgent: headers['user-agent'] ?? '' },
      requestId: crypto.randomUUID(), routeKey: '$default', stage: '$default',
      time: now.toISOString(), timeEpoch: now.getTime(),
      authorizer: { jwt: { claims: { sub: userId }, scopes: [] } },
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body.length ? { body: body.toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
  const result = await handler(event);
  res.writeHead(result.statusCode, result.headers);
  res.end(result.body ?? '');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size >= READ_LIMIT_BYTES) return; // keep draining, stop storing
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
