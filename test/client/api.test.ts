import { expect } from 'chai';
import { ApiError, createApiClient, loadRuntimeConfig, newIdempotencyKey, requestTokens, revokeToken, type FetchLike } from '../../client/src/api.js';

interface Call { url: string; init: RequestInit }

function fakeFetch(responses: (Response | Error)[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init = {}) => {
      calls.push({ url, init });
      const next = responses.shift();
      if (!next) throw new Error('no more responses');
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const expense = { id: 'e1', amount: 12.5, category: 'Food', date: '2026-11-03', createdAt: 'x', updatedAt: 'x' };

describe('client API module', () => {
  it('posts an expense as JSON with the Idempotency-Key header and returns the expense and alerts', async () => {
    const { fetch, calls } = fakeFetch([json(201, { expense, alerts: [] })]);
    const api = createApiClient({ baseUrl: '/api/', fetch });
    const saved = await api.addExpense({ amount: 12.5, category: 'Food', date: '2026-11-03' }, 'key-1');
    expect(saved.expense.id).to.equal('e1');
    expect(calls[0]!.url).to.equal('/api/expenses');
    expect(calls[0]!.init.method).to.equal('POST');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['idempotency-key']).to.equal('key-1');
    expect(headers['content-type']).to.equal('application/json');
    expect(JSON.parse(calls[0]!.init.body as string)).to.deep.equal({ amount: 12.5, category: 'Food', date: '2026-11-03' });
  });

  it('exports CSV by following each page\'s Link header and joining the pages; an error page is an ApiError', async () => {
    const csv = (body: string, link?: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', ...(link ? { link } : {}) } });
    const { fetch, calls } = fakeFetch([
      csv('date,amount\r\n2026-01-01,1.00\r\n', '<?from=2026-01&to=2026-12&cursor=abc>; rel="next"'),
      csv('2026-02-01,2.00\r\n'),
    ]);
    const api = createApiClient({ baseUrl: '/api', fetch });
    expect(await api.exportCsv('2026-01', '2026-12')).to.equal('date,amount\r\n2026-01-01,1.00\r\n2026-02-01,2.00\r\n');
    expect(calls.map((c) => c.url)).to.deep.equal(['/api/export?from=2026-01&to=2026-12', '/api/export?from=2026-01&to=2026-12&cursor=abc']);
    expect((calls[0]!.init.headers as Record<string, string>).accept).to.equal('text/csv');
    const failing = createApiClient({ baseUrl: '/api', fetch: fakeFetch([json(400, { error: { code: 'VALIDATION_FAILED', message: 'Invalid query parameter: to', fields: { to: 'must not be before from' } } })]).fetch });
    const error = await failing.exportCsv('2026-12', '2026-01').then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect((error as ApiError).fields).to.deep.equal({ to: 'must not be before from' });
  });

  it('builds list queries with month, category, limit and cursor', async () => {
    const { fetch, calls } = fakeFetch([json(200, { items: [], nextCursor: null })]);
    await createApiClient({ baseUrl: 'https://x.example/api', fetch }).listExpenses({ month: '2026-11', category: 'Food', limit: 20, cursor: 'abc=' });
    expect(calls[0]!.url).to.equal('https://x.example/api/expenses?month=2026-11&category=Food&limit=20&cursor=abc%3D');
  });

  it('follows the cursor to list every expense of a month', async () => {
    const { fetch, calls } = fakeFetch([
      json(200, { items: [expense], nextCursor: 'c1' }),
      json(200, { items: [{ ...expense, id: 'e2' }], nextCursor: null }),
    ]);
    const all = await createApiClient({ baseUrl: '/api', fetch }).listAllExpenses('2026-11');
    expect(all.map((e) => e.id)).to.deep.equal(['e1', 'e2']);
    expect(calls.map((c) => c.url)).to.deep.equal(['/api/expenses?month=2026-11&limit=100', '/api/expenses?month=2026-11&limit=100&cursor=c1']);
  });

  it('turns a 400 into an ApiError with the server field messages', async () => {
    const { fetch } = fakeFetch([json(400, { error: { code: 'VALIDATION_FAILED', message: 'Invalid field: amount', fields: { amount: 'must be a number greater than 0' } } })]);
    const error = await createApiClient({ baseUrl: '/api', fetch }).addExpense({ amount: 0, category: 'Food', date: '2026-11-03' }).catch((e) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error.status).to.equal(400);
    expect(error.code).to.equal('VALIDATION_FAILED');
    expect(error.fields).to.deep.equal({ amount: 'must be a number greater than 0' });
  });

  it('reports an unreachable server as a network error (status 0)', async () => {
    const { fetch } = fakeFetch([new TypeError('Failed to fetch')]);
    const error = await createApiClient({ baseUrl: '/api', fetch }).getBudget().catch((e) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error.isNetwork).to.equal(true);
    expect(error.message).to.match(/Cannot reach the server/);
  });

  it('reads Retry-After from a 503 and words a 500 without internals', async () => {
    const { fetch } = fakeFetch([
      json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'busy' } }, { 'retry-after': '3' }),
      new Response('oops', { status: 500 }),
    ]);
    const api = createApiClient({ baseUrl: '/api', fetch });
    const busy = await api.getSummary('2026-11').catch((e) => e);
    expect(busy.retryAfter).to.equal(3);
    expect(busy.message).to.equal('The service is busy. Try again in 3 s.');
    const broken = await api.getSummary('2026-11').catch((e) => e);
    expect(broken.code).to.equal('HTTP_500');
    expect(broken.message).to.equal('Something went wrong on the server. Try again.');
  });

  it('tells how long to wait after a 429', async () => {
    const { fetch } = fakeFetch([json(429, { error: { code: 'RATE_LIMITED', message: 'Too many changes in a short time: at most 60 at once, then 1 per second' } }, { 'retry-after': '2' })]);
    const limited = await createApiClient({ baseUrl: '/api', fetch }).deleteExpense('e1').catch((e) => e);
    expect(limited.code).to.equal('RATE_LIMITED');
    expect(limited.retryAfter).to.equal(2);
    expect(limited.message).to.equal('Too many changes in a short time: at most 60 at once, then 1 per second. Try again in 2 s.');
  });

  it('words a long wait after a 429 in minutes or hours', async () => {
    const { fetch } = fakeFetch([
      json(429, { error: { code: 'RATE_LIMITED', message: 'Too many changes in a short time' } }, { 'retry-after': '150' }),
      json(429, { error: { code: 'RATE_LIMITED', message: 'At most 5 alert address changes or confirmation requests a day' } }, { 'retry-after': '86399' }),
    ]);
    const api = createApiClient({ baseUrl: '/api', fetch });
    expect((await api.deleteExpense('e1').catch((e) => e)).message).to.equal('Too many changes in a short time. Try again in 3 min.');
    expect((await api.resendAlertEmailConfirmation().catch((e) => e)).message)
      .to.equal('At most 5 alert address changes or confirmation requests a day. Try again in 24 h.');
  });

  it('handles 204 on delete and encodes ids in paths', async () => {
    const { fetch, calls } = fakeFetch([new Response(null, { status: 204 })]);
    await createApiClient({ baseUrl: '/api', fetch }).deleteExpense('a/b');
    expect(calls[0]!.url).to.equal('/api/expenses/a%2Fb');
    expect(calls[0]!.init.method).to.equal('DELETE');
  });

  it('sends the Bearer token and calls onUnauthorized on a 401', async () => {
    const { fetch, calls } = fakeFetch([json(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in' } })]);
    let unauthorized = 0;
    const api = createApiClient({ baseUrl: '/api', fetch, getToken: async () => 'tok', onUnauthorized: () => unauthorized++ });
    const error = await api.listAlerts('2026-11').catch((e) => e);
    expect((calls[0]!.init.headers as Record<string, string>).authorization).to.equal('Bearer tok');
    expect(error.status).to.equal(401);
    expect(unauthorized).to.equal(1);
  });

  it('unwraps alert lists', async () => {
    const { fetch } = fakeFetch([json(200, { items: [{ id: 'a1' }] })]);
    expect(await createApiClient({ baseUrl: '/api', fetch }).listAlerts('2026-11')).to.deep.equal([{ id: 'a1' }]);
  });

  it('makes a distinct idempotency key per call', () => {
    const keys = new Set(Array.from({ length: 50 }, newIdempotencyKey));
    expect(keys.size).to.equal(50);
    for (const key of keys) expect(key).to.match(/^[\x21-\x7e]{1,255}$/);
  });

  describe('runtime config', () => {
    it('loads the local config without auth', async () => {
      const { fetch, calls } = fakeFetch([json(200, { apiBaseUrl: '/api', auth: null })]);
      expect(await loadRuntimeConfig('/config.json', fetch)).to.deep.equal({ apiBaseUrl: '/api', auth: null });
      expect(calls[0]!.init.cache).to.equal('no-store');
    });

    it('rejects a config without apiBaseUrl or with incomplete auth', async () => {
      const missing = await loadRuntimeConfig('/config.json', fakeFetch([json(200, {})]).fetch).catch((e) => e);
      expect(missing.code).to.equal('BAD_CONFIG');
      const partial = await loadRuntimeConfig('/config.json', fakeFetch([json(200, { apiBaseUrl: '/api', auth: { region: 'x' } })]).fetch).catch((e) => e);
      expect(partial.code).to.equal('BAD_CONFIG');
    });
  });

  it('posts token requests form-encoded to the Cognito token endpoint', async () => {
    const { fetch, calls } = fakeFetch([json(200, { id_token: 'id', access_token: 'ac', expires_in: 3600, token_type: 'Bearer' })]);
    const tokens = await requestTokens('https://x.auth.eu-west-1.amazoncognito.com/', { grant_type: 'authorization_code', code: 'c' }, fetch);
    expect(tokens.access_token).to.equal('ac');
    expect(calls[0]!.url).to.equal('https://x.auth.eu-west-1.amazoncognito.com/oauth2/token');
    expect(calls[0]!.init.method).to.equal('POST');
    expect(calls[0]!.init.headers).to.deep.equal({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(calls[0]!.init.body).to.equal('grant_type=authorization_code&code=c');
  });

  it('rejects a token answer without an access token', async () => {
    const error = await requestTokens('https://x.auth.eu-west-1.amazoncognito.com', { grant_type: 'refresh_token' },
      fakeFetch([json(200, { id_token: 'id', expires_in: 3600, token_type: 'Bearer' })]).fetch).catch((e) => e);
    expect(error).to.be.instanceOf(ApiError);
    expect(error.code).to.equal('TOKEN_ERROR');
  });

  it('revokes a refresh token at the Cognito revocation endpoint, as a simple form POST that outlives the page', async () => {
    const { fetch, calls } = fakeFetch([new Response(null, { status: 200 })]);
    await revokeToken('https://x.auth.eu-west-1.amazoncognito.com/', { token: 'rt', client_id: 'client123' }, fetch);
    expect(calls[0]!.url).to.equal('https://x.auth.eu-west-1.amazoncognito.com/oauth2/revoke');
    expect(calls[0]!.init.method).to.equal('POST');
    expect(calls[0]!.init.headers).to.deep.equal({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(calls[0]!.init.body).to.equal('token=rt&client_id=client123');
    expect(calls[0]!.init.keepalive).to.equal(true);
  });

  it('reports a refused or unreachable revocation as an ApiError', async () => {
    const refused = await revokeToken('https://x.auth.eu-west-1.amazoncognito.com', { token: 'rt', client_id: 'c' },
      fakeFetch([json(400, { error: 'invalid_request' })]).fetch).catch((e) => e);
    expect(refused).to.be.instanceOf(ApiError);
    expect(refused.status).to.equal(400);
    const offline = await revokeToken('https://x.auth.eu-west-1.amazoncognito.com', { token: 'rt', client_id: 'c' },
      fakeFetch([new TypeError('Failed to fetch')]).fetch).catch((e) => e);
    expect(offline.isNetwork).to.equal(true);
  });
});
