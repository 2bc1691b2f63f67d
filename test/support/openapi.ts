import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'chai';

/**
 * Checks real HTTP responses against docs/openapi.json. The document is loaded once; every schema
 * is compiled with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) straight from the
 * document, so `$ref`s resolve inside it and nothing is copied by hand.
 */

export const OPENAPI_FILE = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Reference { $ref: string }
interface HeaderObject { required?: boolean; schema?: Record<string, unknown> }
interface ResponseObject {
  description: string;
  headers?: Record<string, HeaderObject | Reference>;
  content?: Record<string, { schema?: unknown }>;
}
interface ParameterObject { name: string; in: 'query' | 'header' | 'path' | 'cookie'; required?: boolean; schema?: Record<string, unknown> }
interface OperationObject {
  operationId?: string;
  parameters?: (ParameterObject | Reference)[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: unknown }> } | Reference;
  responses: Record<string, ResponseObject | Reference>;
  security?: Record<string, string[]>[];
}
type PathItem = Partial<Record<(typeof HTTP_METHODS)[number], OperationObject>> & { parameters?: (ParameterObject | Reference)[] };
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, PathItem>;
  security?: Record<string, string[]>[];
  components: Record<string, Record<string, unknown>>;
  'x-unmatched-requests': { unknownPath: Record<string, ResponseObject | Reference>; unsupportedMethod: Record<string, ResponseObject | Reference> };
}

export const openApi: OpenApiDocument = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));

const DOC_KEY = 'openapi.json';

// Formats used by the document; ajv-formats is not installed, and these are all it needs.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;
function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  return m !== null && isDate(m[1]!) && !Number.isNaN(Date.parse(value));
}
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

// Strict, except that `required` may name a property declared in another subschema (allOf / if-then).
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
ajv.addFormat('date', { type: 'string', validate: isDate });
ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
ajv.addFormat('email', { type: 'string', validate: (v: string) => EMAIL.test(v) });
// The document is one schema resource (so `#/components/...` resolves); its OpenAPI-only members
// and the OAS dialect's extra annotation keywords are declared so strict mode accepts them.
ajv.addVocabulary([
  'openapi', 'info', 'jsonSchemaDialect', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'externalDocs',
  'x-unmatched-requests', 'discriminator', 'xml', 'example',
]);
ajv.addSchema(openApi as unknown as object, DOC_KEY);

const validators = new Map<string, ValidateFunction>();

/** A validator for the schema at a JSON pointer of the document (compiled once). */
function validatorAt(pointer: string): ValidateFunction {
  let validate = validators.get(pointer);
  if (!validate) {
    const fragment = pointer.split('/').map((part) => encodeURIComponent(part)).join('/');
    validate = ajv.compile({ $ref: `${DOC_KEY}#${fragment}` });
    validators.set(pointer, validate);
  }
  return validate;
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const pointerOf = (...segments: string[]) => segments.map((s) => `/${escape(s)}`).join('');

function at(pointer: string): unknown {
  let node: unknown = openApi;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return node;
}

/** Follows `$ref`s (within the document) from `pointer`; returns the object and where it lives. */
function resolve<T>(pointer: string): { value: T; pointer: string } {
  const seen = new Set<string>();
  let node = at(pointer);
  while (node && typeof node === 'object' && typeof (node as Reference).$ref === 'string') {
    const ref = (node as Reference).$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
    if (seen.has(ref)) throw new Error(`$ref cycle at ${ref}`);
    seen.add(ref);
    pointer = ref.slice(1);
    node = at(pointer);
  }
  if (node === undefined) throw new Error(`Nothing at ${pointer} in ${OPENAPI_FILE}`);
  return { value: node as T, pointer };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n');
}

export interface DocumentedOperation {
  method: string;
  path: string;
  operationId: string | undefined;
  statuses: string[];
  /** False when the operation overrides security with `[]`. */
  secured: boolean;
}

/** Every operation in the document, with its documented status codes. */
export function documentedOperations(): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(openApi.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const security = operation.security ?? openApi.security ?? [];
      operations.push({
        method: method.toUpperCase(), path, operationId: operation.operationId,
        statuses: Object.keys(operation.responses),
        secured: security.length > 0 && !security.some((requirement) => Object.keys(requirement).length === 0),
      });
    }
  }
  return operations;
}

/** Responses for requests that match no operation: `unknownPath` and `unsupportedMethod`. */
export const UNMATCHED = { unknownPath: 'unknown path', unsupportedMethod: 'unsupported method' } as const;

/** Every documented response as a key: "GET /api/budget 200", or "unknown path 404" for the unmatched ones. */
export function documentedResponseKeys(): string[] {
  const keys = documentedOperations().flatMap((op) => op.statuses.map((status) => `${op.method} ${op.path} ${status}`));
  for (const [kind, label] of Object.entries(UNMATCHED)) {
    for (const status of Object.keys(openApi['x-unmatched-requests'][kind as keyof typeof UNMATCHED])) keys.push(`${label} ${status}`);
  }
  return keys;
}

const exercised = new Set<string>();

/** The response keys (as documentedResponseKeys names them) that expectMatchesOpenApi has checked so far. */
export function exercisedResponseKeys(): ReadonlySet<string> {
  return exercised;
}

function templateRegex(template: string): RegExp {
  const source = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
  return new RegExp(`^${source}$`);
}

export interface ResponseLike {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Fails (chai) unless `response` is what the document promises for `method pathTemplate`: the
 * operation and status code are documented, a documented body is JSON of the documented media
 * type that validates against its schema, required documented headers are present and valid,
 * and a response documented without content (204) has no body. A path the document does not
 * have, or a method its path does not have, is held to `x-unmatched-requests` (404, and 405 whose
 * `Allow` must list exactly the documented methods).
 */
export function expectMatchesOpenApi(method: string, pathTemplate: string, response: ResponseLike): void {
  const upper = method.toUpperCase();
  const where = `${upper} ${pathTemplate} -> ${response.statusCode}`;
  const status = String(response.statusCode);
  const item = openApi.paths[pathTemplate];
  let responsesPointer: string;
  let key: string;

  if (!item) {
    const template = Object.keys(openApi.paths).find((t) => templateRegex(t).test(pathTemplate));
    if (template) expect.fail(`${where}: pass the path template ${template}, not a concrete path`);
    responsesPointer = pointerOf('x-unmatched-requests', 'unknownPath');
    key = `${UNMATCHED.unknownPath} ${status}`;
  } else if (!item[method.toLowerCase() as (typeof HTTP_METHODS)[number]]) {
    responsesPointer = pointerOf('x-unmatched-requests', 'unsupportedMethod');
    key = `${UNMATCHED.unsupportedMethod} ${status}`;
    const allow = header(response.headers, 'allow');
    if (allow !== undefined) {
      const documented = HTTP_METHODS.filter((m) => item[m]).map((m) => m.toUpperCase()).sort();
      expect(allow.split(',').map((m) => m.trim()).sort(), `${where}: Allow must list the documented methods of ${pathTemplate}`)
        .to.deep.equal(documented);
    }
  } else {
    responsesPointer = pointerOf('paths', pathTemplate, method.toLowerCase(), 'responses');
    key = `${upper} ${pathTemplate} ${status}`;
  }

  const responses = at(responsesPointer) as Record<string, unknown>;
  if (!(status in responses)) {
    expect.fail(`${where}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')}); body: ${response.body ?? ''}`);
  }
  const { value: documented, pointer } = resolve<ResponseObject>(`${responsesPointer}/${escape(status)}`);

  for (const name of Object.keys(documented.headers ?? {})) {
    const { value: spec, pointer: headerPointer } = resolve<HeaderObject>(`${pointer}/headers/${escape(name)}`);
    const value = header(response.headers, name);
    if (value === undefined) {
      if (spec.required) expect.fail(`${where}: required header ${name} is missing (headers: ${JSON.stringify(response.headers ?? {})})`);
      continue;
    }
    if (!spec.schema) continue;
    const type = resolve<Record<string, unknown>>(`${headerPointer}/schema`).value.type;
    // Header values are strings on the wire; a number-typed header is checked as the number it spells.
    const candidate = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    const validate = validatorAt(`${headerPointer}/schema`);
    if (!validate(candidate)) expect.fail(`${where}: header ${name}: ${JSON.stringify(value)} does not match its schema:\n${describeErrors(validate.errors)}`);
  }

  const content = documented.content;
  if (!content || Object.keys(content).length === 0) {
    if (response.body !== undefined && response.body !== '') expect.fail(`${where}: documented without a body, but got ${JSON.stringify(response.body)}`);
    exercised.add(key);
    return;
  }

  const contentType = header(response.headers, 'content-type');
  if (contentType === undefined) expect.fail(`${where}: no Content-Type; documented: ${Object.keys(content).join(', ')}`);
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (!(mediaType in content)) expect.fail(`${where}: Content-Type ${contentType} is not documented (documented: ${Object.keys(content).join(', ')})`);
  if (response.body === undefined || response.body === '') expect.fail(`${where}: documented with a ${mediaType} body, but the body is empty`);

  let parsed: unknown;
  if (mediaType === 'text/html') {
    if (!/^<!doctype html>/i.test(response.body)) expect.fail(`${where}: the body is not an HTML document`);
    parsed = response.body;
  } else if (mediaType === 'text/csv') {
    // A CSV body must parse as RFC 4180 with rows of equal length; the schema then checks the text.
    try {
      parseCsv(response.body, { relax_column_count: false });
    } catch (error) {
      expect.fail(`${where}: the body is not valid CSV: ${String(error)}`);
    }
    parsed = response.body;
  } else {
    try {
      parsed = JSON.parse(response.body);
    } catch {
      expect.fail(`${where}: the body is not JSON: ${response.body}`);
    }
  }
  const validate = validatorAt(`${pointer}/content/${escape(mediaType)}/schema`);
  if (!validate(parsed)) {
    expect.fail(`${where}: the body does not match the documented schema:\n${describeErrors(validate.errors)}\nbody: ${response.body}`);
  }
  exercised.add(key);
}

export interface RequestLike {
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * What the document says is wrong with a request to a documented operation (empty when it
 * accepts it): required or invalid query/header/path parameters and an invalid JSON body.
 * Lets tests check that the requests the handler accepts or rejects are the ones the document does.
 */
export function requestProblems(method: string, pathTemplate: string, request: RequestLike): string[] {
  const operationPointer = pointerOf('paths', pathTemplate, method.toLowerCase());
  const operation = at(operationPointer) as OperationObject | undefined;
  if (!operation) return [`${method.toUpperCase()} ${pathTemplate} is not documented`];
  const problems: string[] = [];
  const parameterPointers = [
    ...(openApi.paths[pathTemplate]!.parameters ?? []).map((_, i) => `${pointerOf('paths', pathTemplate)}/parameters/${i}`),
    ...(operation.parameters ?? []).map((_, i) => `${operationPointer}/parameters/${i}`),
  ];
  for (const raw of parameterPointers) {
    const { value: parameter, pointer } = resolve<ParameterObject>(raw);
    if (parameter.in === 'path' || parameter.in === 'cookie') continue;
    const source = parameter.in === 'query' ? request.query ?? {} : request.headers ?? {};
    const value = parameter.in === 'header' ? header(source as Record<string, string>, parameter.name) : source[parameter.name];
    if (value === undefined) {
      if (parameter.required) problems.push(`${parameter.in} parameter ${parameter.name} is required`);
      continue;
    }
    const type = resolve<Record<string, unknown>>(`${pointer}/schema`).value.type;
    const candidate = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    const validate = validatorAt(`${pointer}/schema`);
    if (!validate(candidate)) problems.push(`${parameter.in} parameter ${parameter.name}: ${describeErrors(validate.errors).trim()}`);
  }
  if (operation.requestBody) {
    const { value: requestBody, pointer } = resolve<{ required?: boolean; content: Record<string, unknown> }>(`${operationPointer}/requestBody`);
    if (request.body === undefined) {
      if (requestBody.required) problems.push('a request body is required');
    } else {
      // A CSV upload is text; only a JSON body has a schema to check.
      const mediaType = 'application/json' in requestBody.content ? 'application/json' : Object.keys(requestBody.content)[0]!;
      const validate = validatorAt(`${pointer}/content/${escape(mediaType)}/schema`);
      if (!validate(request.body)) problems.push(`body: ${describeErrors(validate.errors).trim()}`);
    }
  }
  return problems;
}
