import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Logger } from '../../application/ports.js';
import { errorResponse, HttpError, type HttpResponse } from './responses.js';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResponse>;

/** What a route's action gets from the event: the caller, the path's id, and readers for the body. */
export interface Request {
  userId: string;
  id: string;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The JSON body (at most `maxBytes`, MAX_BODY_BYTES by default). */
  body: (maxBytes?: number) => unknown;
  /** The body as an uploaded CSV file's text. */
  file: () => string;
}

export type Action = (request: Request) => Promise<HttpResponse>;

export interface Route {
  pattern: RegExp;
  methods: Record<string, Action>;
  public?: boolean;
  /** The path's id as the use case takes it, or an HttpError (404) for a segment no id can be. */
  idOf?: (segment: string) => string;
}

export const MAX_BODY_BYTES = 16 * 1024;

/** A path's id that must be a UUID (imports, recurring expenses): any other segment names nothing, a 404 saying what. */
export function uuidSegment(what: string): (segment: string) => string {
  return (segment) => {
    if (!/^[0-9a-f-]{36}$/.test(segment)) throw new HttpError(404, 'NOT_FOUND', `No such ${what}`);
    return segment;
  };
}
/**
 * An uploaded file: 5 MiB, about 50,000 rows. Sent as text/csv it reaches the Lambda as text, within
 * its 6 MB request limit (base64, as other media types arrive, would not fit).
 */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * One Lambda handler for API Gateway HTTP API events (payload 2.0) over `routes`; the local server
 * feeds it the same events. Each route translates the request, calls one use case and maps the
 * result; every error becomes a response in errorResponse.
 */
export function createRouter(routes: Route[], deps: { logger: Logger; allowedOrigins: string[] }): ApiHandler {
  const allowedOrigins = new Set(deps.allowedOrigins);

  return async (event) => {
    const headers = event.headers ?? {};
    const cors = corsHeaders(headers.origin, allowedOrigins);
    let response: HttpResponse;
    try {
      const method = event.requestContext.http.method.toUpperCase();
      const path = routePath(event);
      const route = routes.find((r) => r.pattern.test(path));
      if (!route) throw new HttpError(404, 'ROUTE_NOT_FOUND', `No route for ${path}`);
      const allow = Object.keys(route.methods).join(', ');
      if (method === 'OPTIONS') {
        response = { statusCode: 204, headers: { allow, ...preflightHeaders(allow) } };
      } else {
        const action = route.methods[method];
        if (!action) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; use ${allow}`, { allow });
        const userId = route.public ? '' : userIdOf(event);
        const rawId = route.pattern.exec(path)![1];
        const id = rawId === undefined || !route.idOf ? '' : route.idOf(rawId);
        // Framing is checked (413, 415, 400) when a route reads its body: a route without one ignores it.
        const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
        const body = (maxBytes = MAX_BODY_BYTES) => (hasBody ? readBody(event, maxBytes) : undefined);
        response = await action({ userId, id, query: event.queryStringParameters ?? {}, headers, body, file: () => readCsvUpload(event) });
      }
    } catch (error) {
      response = errorResponse(error, deps.logger);
    }
    response.headers = { ...response.headers, ...cors };
    return response;
  };
}

/**
 * The path the routes match. Through the execute-api endpoint a named stage prefixes rawPath with
 * its name ("/prod/api/..."); the $default stage, or a custom domain mapped to a stage, adds nothing.
 */
function routePath(event: APIGatewayProxyEventV2): string {
  const { stage } = event.requestContext;
  const stagePrefix = stage === '$default' ? '' : `/${stage}`;
  const path = stagePrefix && event.rawPath.startsWith(`${stagePrefix}/`) ? event.rawPath.slice(stagePrefix.length) : event.rawPath;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}




/** The user is the JWT authorizer's `sub` claim; API Gateway has verified the token. */
function userIdOf(event: APIGatewayProxyEventV2): string {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } }).authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) {
    throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to use this API');
  }
  return sub;
}

function bodyBytes(event: APIGatewayProxyEventV2, maxBytes: number): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`);
  return bytes;
}

function mediaType(event: APIGatewayProxyEventV2): string {
  return (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * An uploaded CSV file: at most MAX_UPLOAD_BYTES (413), sent as text/csv (415), in UTF-8 with or
 * without a byte order mark (415 otherwise: the page converts Windows-1252 files before sending).
 */
function readCsvUpload(event: APIGatewayProxyEventV2): string {
  const bytes = bodyBytes(event, MAX_UPLOAD_BYTES);
  if (mediaType(event) !== 'text/csv') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Upload the file as the request body with Content-Type: text/csv');
  }
  const charset = /charset=([^;]+)/i.exec(event.headers?.['content-type'] ?? '')?.[1]?.trim().toLowerCase();
  const text = charset === undefined || charset === 'utf-8' || charset === 'utf8' ? utf8OrNull(bytes) : null;
  // A body API Gateway passed as text had its invalid bytes replaced by U+FFFD already.
  if (text === null || text.includes('\ufffd')) {
    throw new HttpError(415, 'UNSUPPORTED_ENCODING', 'The file must be UTF-8 (with or without a byte order mark): save it as "CSV UTF-8"; the page converts Windows-1252 files itself');
  }
  if (text.trim() === '') throw new HttpError(400, 'VALIDATION_FAILED', 'The file is empty');
  return text;
}

function utf8OrNull(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Checks framing before parsing: size (413), media type (415), then JSON (400). */
function readBody(event: APIGatewayProxyEventV2, maxBytes: number): unknown {
  const bytes = bodyBytes(event, maxBytes);
  const contentType = mediaType(event);
  if (contentType !== 'application/json') {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON with Content-Type: application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
  return parsed;
}


function corsHeaders(origin: string | undefined, allowed: Set<string>): Record<string, string> {
  if (!origin || !allowed.has(origin)) return {};
  return { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': 'retry-after, link, content-disposition' };
}

function preflightHeaders(allow: string): Record<string, string> {
  return {
    'access-control-allow-methods': `${allow}, OPTIONS`,
    'access-control-allow-headers': 'authorization, content-type, idempotency-key',
    'access-control-max-age': '600',
  };
}
