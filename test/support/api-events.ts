import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface EventOptions {
  /** The authenticated user (the JWT `sub`); null for an anonymous request. */
  user?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON with Content-Type application/json; a string is sent as is. */
  body?: unknown;
}

/** An API Gateway HTTP API (payload format 2.0) event, as the JWT authorizer passes it on. */
export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const user = options.user === undefined ? 'user-a' : options.user;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const query = options.query ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'api.example', domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'request', routeKey: '$default', stage: '$default', time: '', timeEpoch: 0,
      ...(user === null ? {} : { authorizer: { jwt: { claims: { sub: user }, scopes: [] } } }),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

export function bodyOf(response: { body?: string }): any {
  return response.body ? JSON.parse(response.body) : undefined;
}
