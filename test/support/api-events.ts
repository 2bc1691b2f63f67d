import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Every field of an event under the test's control, for malformed-request tests. */
export interface RawRequest {
  method: string;
  /** The rawPath exactly as API Gateway passes it: with a named stage it starts with "/<stage>". */
  path: string;
  /** requestContext.stage; `$default` unless given. */
  stage?: string;
  /** undefined: no authorizer context at all; otherwise the claims object as the authorizer passes it. */
  claims?: Record<string, unknown> | null;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** An API Gateway HTTP API (payload format 2.0) event, exactly as described. */
export function rawEvent(request: RawRequest): APIGatewayProxyEventV2 {
  const query = request.query ?? {};
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString: new URLSearchParams(query).toString(),
    headers: request.headers ?? {},
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: '123456789012', apiId: 'api', domainName: 'api.example', domainPrefix: 'api',
      http: { method: request.method, path: request.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      requestId: 'request', routeKey: '$default', stage: request.stage ?? '$default', time: '', timeEpoch: 0,
      ...(request.claims === undefined ? {} : { authorizer: { jwt: { claims: request.claims, scopes: [] } } }),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

export interface EventOptions {
  /** The authenticated user (the JWT `sub`); null for an anonymous request. */
  user?: string | null;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** An object is sent as JSON with Content-Type application/json; a string is sent as is. */
  body?: unknown;
  /** Send the body base64-encoded, as API Gateway does for binary media types. */
  base64?: boolean;
  /** A named stage, which API Gateway puts in front of the path ("/prod/api/..."); `$default` adds nothing. */
  stage?: string;
}

/** A well-formed event for the route `path`, as the JWT authorizer passes it on. */
export function apiEvent(method: string, path: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const stage = options.stage ?? '$default';
  const user = options.user === undefined ? 'user-a' : options.user;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (typeof options.body === 'string') body = options.body;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const encode = options.base64 === true && body !== undefined;
  return rawEvent({
    method, headers, stage,
    path: stage === '$default' ? path : `/${stage}${path}`,
    ...(user === null ? {} : { claims: { sub: user } }),
    ...(options.query ? { query: options.query } : {}),
    ...(body !== undefined ? { body: encode ? Buffer.from(body, 'utf8').toString('base64') : body } : {}),
    isBase64Encoded: encode,
  });
}

export function bodyOf(response: { body?: string }): any {
  return response.body ? JSON.parse(response.body) : undefined;
}
