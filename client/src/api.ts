/**
 * The typed HTTP client: the only module that calls `fetch`. Every failure becomes an ApiError,
 * so the page shows one kind of error (network, validation with field messages, or server).
 */
import type {
  Alert, Budget, Category, CategoryItem, CategoryUsage, Expense, ExpenseInput, ExpensePage, ImportDraft, ImportOutcome, ImportPreview,
  ImportRecord, ImportRowStatus, ImportSettings, Recurrence, RecurrenceInput, RuntimeConfig, SavedExpense, Summary, Trends,
} from './types.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field name -> message, for 400 validation errors. */
    readonly fields: Record<string, string> = {},
    /** Seconds to wait, from Retry-After (429, 503). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface ListQuery {
  month: string;
  category?: Category | '';
  limit?: number;
  cursor?: string | null;
}

export interface ApiClient {
  health(): Promise<{ status: string }>;
  addExpense(input: ExpenseInput, idempotencyKey?: string): Promise<SavedExpense>;
  listExpenses(query: ListQuery): Promise<ExpensePage>;
  /** Every expense of the month, following the cursor (for per-day sums). */
  listAllExpenses(month: string): Promise<Expense[]>;
  getExpense(id: string): Promise<Expense>;
  updateExpense(id: string, input: ExpenseInput): Promise<SavedExpense>;
  deleteExpense(id: string): Promise<void>;
  getSummary(month: string): Promise<Summary>;
  /** The twelve months ending with `to`: one request that reads month totals only. */
  getTrends(to: string): Promise<Trends>;
  getBudget(): Promise<Budget>;
  putBudget(budget: Budget): Promise<Budget>;
  /** Asks AWS to send the alert address's confirmation email again. */
  resendAlertEmailConfirmation(): Promise<{ alertEmail: string }>;
  listAlerts(month: string): Promise<Alert[]>;
  listCategories(): Promise<CategoryItem[]>;
  createCategory(input: { name: string; color?: string }): Promise<CategoryItem>;
  updateCategory(id: string, patch: { name?: string; color?: string; archived?: boolean }): Promise<CategoryItem>;
  getCategoryUsage(id: string): Promise<CategoryUsage>;
  /** With `moveTo`, moves the category's expenses there first; repeating an interrupted call finishes it. */
  deleteCategory(id: string, moveTo?: string): Promise<{ moved: number; remaining?: number }>;
  /** Every expense from month `from` to month `to` as one CSV file (the API's pages joined). */
  exportCsv(from: string, to: string): Promise<string>;
  /** Uploads a CSV file's text (UTF-8) as a draft import. */
  startImport(text: string, fileName: string): Promise<ImportDraft>;
  previewImport(id: string, settings: ImportSettings, query?: { status?: ImportRowStatus; offset?: number; limit?: number }): Promise<ImportPreview>;
  /** One commit request: `committing` means repeat it with the same choices to carry on. */
  commitImport(id: string, body: ImportSettings & { duplicates?: 'skip' | 'import'; include?: number[]; exclude?: number[] }): Promise<ImportOutcome>;
  /** One undo request: `remaining` means repeat it. */
  undoImport(id: string): Promise<{ removed: number; remaining?: number }>;
  listImports(): Promise<ImportRecord[]>;
  listRecurring(): Promise<Recurrence[]>;
  /** Occurrences already due are made at once. */
  createRecurring(input: RecurrenceInput): Promise<Recurrence>;
  updateRecurring(id: string, input: RecurrenceInput): Promise<Recurrence>;
  deleteRecurring(id: string): Promise<void>;
  skipRecurring(id: string): Promise<Recurrence>;
}

/** A body sent as is, with its own media type (a CSV upload), instead of as JSON. */
class TextBody {
  constructor(readonly text: string, readonly type: string) {}
}

export interface ApiClientOptions {
  /** "/api" locally, "https://.../api" on AWS. */
  baseUrl: string;
  fetch?: FetchLike;
  /** The Bearer token, when signed in. */
  getToken?: () => Promise<string | null> | string | null;
  /** Called on a 401 (e.g. to sign in again). */
  onUnauthorized?: () => void;
  timeoutMs?: number;
}

const defaultFetch: FetchLike = (input, init) => fetch(input, init);

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? defaultFetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function request<T>(
    method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, read: (response: Response) => Promise<unknown> = readJson,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['content-type'] = body instanceof TextBody ? body.type : 'application/json';
    const token = options.getToken ? await options.getToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: body instanceof TextBody ? body.text : JSON.stringify(body) } : {}),
        ...(controller ? { signal: controller.signal } : {}),
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (response.status === 204) return undefined as T;
    if (response.ok) return (await read(response)) as T;
    const payload = await readJson(response);
    if (response.status === 401) options.onUnauthorized?.();
    throw toApiError(response, payload);
  }

  const client: ApiClient = {
    health: () => request('GET', '/health'),
    addExpense: (input, idempotencyKey) =>
      request('POST', '/expenses', input, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    listExpenses: (query) => request('GET', `/expenses?${listParams(query)}`),
    async listAllExpenses(month) {
      const all: Expense[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 1000; page++) {
        const result: ExpensePage = await client.listExpenses({ month, limit: 100, cursor });
        all.push(...result.items);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      return all;
    },
    getExpense: (id) => request('GET', `/expenses/${encodeURIComponent(id)}`),
    updateExpense: (id, input) => request('PUT', `/expenses/${encodeURIComponent(id)}`, input),
    deleteExpense: (id) => request('DELETE', `/expenses/${encodeURIComponent(id)}`),
    getSummary: (month) => request('GET', `/summary?month=${encodeURIComponent(month)}`),
    getTrends: (to) => request('GET', `/trends?to=${encodeURIComponent(to)}`),
    getBudget: () => request('GET', '/budget'),
    putBudget: (budget) => request('PUT', '/budget', budget),
    resendAlertEmailConfirmation: () => request('POST', '/budget/alert-email/confirmation'),
    listAlerts: async (month) => (await request<{ items: Alert[] }>('GET', `/alerts?month=${encodeURIComponent(month)}`)).items,
    listCategories: async () => (await request<{ items: CategoryItem[] }>('GET', '/categories')).items,
    createCategory: (input) => request('POST', '/categories', input),
    updateCategory: (id, patch) => request('PATCH', `/categories/${encodeURIComponent(id)}`, patch),
    getCategoryUsage: (id) => request('GET', `/categories/${encodeURIComponent(id)}/usage`),
    deleteCategory: (id, moveTo) => request('DELETE', `/categories/${encodeURIComponent(id)}${moveTo ? `?moveTo=${encodeURIComponent(moveTo)}` : ''}`),
    async exportCsv(from, to) {
      // Pages of 2,000 rows; each names the next in its Link header, and they concatenate into one file.
      let csv = '';
      let query: string | null = `?${new URLSearchParams({ from, to })}`;
      for (let page = 0; query !== null && page < 1000; page++) {
        const part: { text: string; link: string | null } = await request('GET', `/export${query}`, undefined, { accept: 'text/csv' },
          async (response) => ({ text: await response.text(), link: response.headers.get('link') }));
        csv += part.text;
        query = /^<(\?[^>]+)>; rel="next"$/.exec(part.link ?? '')?.[1] ?? null;
      }
      return csv;
    },
    startImport: (text, fileName) => request('POST', `/imports?${new URLSearchParams({ name: fileName })}`, new TextBody(text, 'text/csv; charset=utf-8')),
    previewImport: (id, settings, query = {}) => {
      const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
      const search = params.toString();
      return request('POST', `/imports/${encodeURIComponent(id)}/preview${search ? `?${search}` : ''}`, settings);
    },
    commitImport: (id, body) => request('POST', `/imports/${encodeURIComponent(id)}/commit`, body),
    undoImport: (id) => request('DELETE', `/imports/${encodeURIComponent(id)}`),
    listImports: async () => (await request<{ items: ImportRecord[] }>('GET', '/imports')).items,
    listRecurring: async () => (await request<{ items: Recurrence[] }>('GET', '/recurring')).items,
    createRecurring: (input) => request('POST', '/recurring', input),
    updateRecurring: (id, input) => request('PUT', `/recurring/${encodeURIComponent(id)}`, input),
    deleteRecurring: (id) => request('DELETE', `/recurring/${encodeURIComponent(id)}`),
    skipRecurring: (id) => request('POST', `/recurring/${encodeURIComponent(id)}/skip`),
  };
  return client;
}

function listParams(query: ListQuery): string {
  const params = new URLSearchParams({ month: query.month });
  if (query.category) params.set('category', query.category);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  if (query.cursor) params.set('cursor', query.cursor);
  return params.toString();
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** A Retry-After in the unit a person reads it in: seconds, minutes, or hours (the daily address limit). */
function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3600)} h`;
}

function toApiError(response: Response, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
  const retryHeader = response.headers.get('retry-after');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let message = typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`;
  if (response.status === 503) message = `The service is busy. Try again${retryAfter ? ` in ${retryAfter} s` : ' shortly'}.`;
  else if (response.status === 429 && retryAfter) message = `${message}. Try again in ${waitText(retryAfter)}.`;
  else if (response.status >= 500) message = 'Something went wrong on the server. Try again.';
  const fields: Record<string, string> = {};
  if (error?.fields && typeof error.fields === 'object') {
    for (const [k, v] of Object.entries(error.fields as Record<string, unknown>)) if (typeof v === 'string') fields[k] = v;
  }
  return new ApiError(response.status, code, message, fields, retryAfter);
}

/** A fresh Idempotency-Key for one form submission. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads `/config.json` (no cache) and checks its shape. */
export async function loadRuntimeConfig(url = '/config.json', doFetch: FetchLike = defaultFetch): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await doFetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server to load the settings.');
  }
  const payload = (await readJson(response)) as Partial<RuntimeConfig> | null;
  if (!response.ok || !payload || typeof payload.apiBaseUrl !== 'string') {
    throw new ApiError(response.status, 'BAD_CONFIG', 'The page settings (config.json) are missing or invalid.');
  }
  const auth = payload.auth ?? null;
  if (auth !== null && (typeof auth !== 'object' || !auth.clientId || !auth.domain || !auth.redirectUri)) {
    throw new ApiError(response.status, 'BAD_CONFIG', 'The sign-in settings in config.json are incomplete.');
  }
  return { apiBaseUrl: payload.apiBaseUrl, auth };
}

/** What the token endpoint answers that this client uses (it also sends an ID token, unused here). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
}

const hostedUiEndpoint = (domain: string, path: string) => `${domain.replace(/\/+$/, '')}${path}`;

/** A form POST with the one header a simple CORS request may carry, so Cognito needs no preflight. */
const formPost = (form: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(form).toString(),
});

/** POSTs a form to the Cognito token endpoint (authorization_code or refresh_token grant). */
export async function requestTokens(domain: string, form: Record<string, string>, doFetch: FetchLike = defaultFetch): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await doFetch(hostedUiEndpoint(domain, '/oauth2/token'), formPost(form));
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the sign-in service.');
  }
  const payload = (await readJson(response)) as (TokenResponse & { error?: string }) | null;
  if (!response.ok || !payload || typeof payload.access_token !== 'string') {
    throw new ApiError(response.status, typeof payload?.error === 'string' ? payload.error : 'TOKEN_ERROR', 'Sign-in failed. Please sign in again.');
  }
  return payload;
}

/**
 * POSTs a refresh token to the Cognito revocation endpoint (`token` and, for a public client,
 * `client_id`): it and every access token issued with it stop working.
 */
export async function revokeToken(domain: string, form: { token: string; client_id: string }, doFetch: FetchLike = defaultFetch): Promise<void> {
  let response: Response;
  try {
    // keepalive: the request still completes when sign-out navigates away before Cognito answers.
    response = await doFetch(hostedUiEndpoint(domain, '/oauth2/revoke'), { ...formPost(form), keepalive: true });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the sign-in service.');
  }
  if (!response.ok) throw new ApiError(response.status, 'REVOKE_FAILED', 'The sign-in service did not revoke the session.');
}
