import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ApiError, type TokenResponse } from '../../client/src/api.js';
import { authorizeUrl, base64Url, codeChallenge, createAuth, logoutUrl, REVOKE_WAIT_MS, type AuthDeps } from '../../client/src/auth.js';
import type { AuthConfig } from '../../client/src/types.js';

const config: AuthConfig = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client123',
  domain: 'https://demo.auth.eu-west-1.amazoncognito.com',
  redirectUri: 'https://d1.cloudfront.net',
  scopes: ['openid', 'email', 'budget-api/expenses'],
};
const SITE = 'https://d1.cloudfront.net/';

const sha256: AuthDeps['sha256'] = async (data) => {
  const digest = createHash('sha256').update(data).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
};

/** A browser stand-in: sessionStorage, the address bar, and a Cognito whose token endpoint numbers its tokens. */
function fakeBrowser(startUrl = SITE) {
  const store = new Map<string, string>();
  const redirects: string[] = [];
  const tokenRequests: Record<string, string>[] = [];
  const revocations: { token: string; client_id: string }[] = [];
  const waits: number[] = [];
  let url = startUrl;
  let now = 1_000_000;
  let counter = 0;
  let revoke: () => Promise<void> = async () => {};
  let tokenEndpoint: 'up' | 'unreachable' | 'refuses' = 'up';
  const deps: AuthDeps = {
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    currentUrl: () => url,
    redirect: (u) => void redirects.push(u),
    replaceUrl: (u) => void (url = u),
    requestTokens: async (_domain, form): Promise<TokenResponse> => {
      tokenRequests.push(form);
      if (tokenEndpoint === 'unreachable') throw new ApiError(0, 'NETWORK', 'Cannot reach the sign-in service.');
      if (tokenEndpoint === 'refuses') throw new ApiError(400, 'invalid_grant', 'Sign-in failed. Please sign in again.');
      const n = tokenRequests.length;
      return { access_token: `access-${n}`, ...(form.grant_type === 'authorization_code' ? { refresh_token: 'refresh-1' } : {}), expires_in: 3600, token_type: 'Bearer' };
    },
    revokeToken: (_domain, form) => {
      revocations.push(form);
      return revoke();
    },
    wait: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    now: () => now,
    randomBytes: (n) => new Uint8Array(n).fill(++counter),
    sha256,
  };
  return {
    deps, store, redirects, tokenRequests, revocations, waits,
    url: () => url,
    /** The browser follows the Hosted UI back to the site with a code for the state of the last redirect. */
    returnFromHostedUi(code = 'abc') {
      const state = new URL(redirects[redirects.length - 1]!).searchParams.get('state');
      url = `${SITE}?code=${code}&state=${state}`;
    },
    advance: (ms: number) => void (now += ms),
    revokeWith: (fn: () => Promise<void>) => void (revoke = fn),
    tokenEndpointIs: (state: typeof tokenEndpoint) => void (tokenEndpoint = state),
  };
}

/** Signs in from `startUrl` through the (fake) Hosted UI; returns the browser and the signed-in auth. */
async function signedIn(startUrl = SITE) {
  const browser = fakeBrowser(startUrl);
  expect(await createAuth(config, browser.deps).start()).to.equal(false);
  browser.returnFromHostedUi();
  const auth = createAuth(config, browser.deps); // the page loads anew after the redirect
  expect(await auth.start()).to.equal(true);
  return { browser, auth };
}

describe('client sign-in (Cognito Hosted UI, PKCE)', () => {
  it('derives the S256 code challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', sha256)).to.equal('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(base64Url(new Uint8Array([251, 255]))).to.equal('-_8');
  });

  it('builds the authorize and logout URLs, asking for the API scope', () => {
    const url = new URL(authorizeUrl(config, 'st', 'ch'));
    expect(url.origin + url.pathname).to.equal('https://demo.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      response_type: 'code', client_id: 'client123', redirect_uri: 'https://d1.cloudfront.net', scope: 'openid email budget-api/expenses',
      state: 'st', code_challenge: 'ch', code_challenge_method: 'S256',
    });
    expect(logoutUrl(config)).to.equal('https://demo.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fd1.cloudfront.net');
  });

  it('redirects to the Hosted UI with a challenge of the verifier it keeps in sessionStorage', async () => {
    const browser = fakeBrowser();
    expect(await createAuth(config, browser.deps).start()).to.equal(false);
    expect(browser.redirects).to.have.length(1);
    const url = new URL(browser.redirects[0]!);
    const pending = JSON.parse(browser.store.get('budget.signin')!);
    expect(pending.verifier).to.have.length.greaterThanOrEqual(43);
    expect(url.searchParams.get('code_challenge')).to.equal(await codeChallenge(pending.verifier, sha256));
    expect(url.searchParams.get('state')).to.equal(pending.state);
  });

  it('exchanges the code with the verifier, removes the pending sign-in and sends the access token', async () => {
    const browser = fakeBrowser();
    await createAuth(config, browser.deps).start();
    const { verifier } = JSON.parse(browser.store.get('budget.signin')!);
    browser.returnFromHostedUi('abc');
    const auth = createAuth(config, browser.deps);
    expect(await auth.start()).to.equal(true);
    expect(browser.tokenRequests).to.deep.equal([{
      grant_type: 'authorization_code', client_id: 'client123', code: 'abc', redirect_uri: 'https://d1.cloudfront.net', code_verifier: verifier,
    }]);
    expect([...browser.store.keys()]).to.deep.equal([]);
    expect(await auth.getToken()).to.equal('access-1');
  });

  it('keeps no token in sessionStorage: a fresh page load signs in again', async () => {
    const { browser } = await signedIn();
    expect([...browser.store.values()].join()).to.not.match(/access-|refresh-/);
    const reloaded = createAuth(config, browser.deps);
    expect(await reloaded.start()).to.equal(false);
    expect(browser.redirects).to.have.length(2);
    expect(browser.redirects[1]).to.match(/\/oauth2\/authorize\?/);
  });

  it('comes back to the page it left, without ?code and ?state', async () => {
    const { browser } = await signedIn(`${SITE}#2026-05`);
    expect(browser.url()).to.equal(`${SITE}#2026-05`);
  });

  it('removes tokens an earlier version left in sessionStorage', async () => {
    const browser = fakeBrowser();
    browser.store.set('budget.tokens', JSON.stringify({ idToken: 'old', accessToken: 'old', refreshToken: 'old', expiresAt: 9e15 }));
    expect(await createAuth(config, browser.deps).start()).to.equal(false);
    expect(browser.store.has('budget.tokens')).to.equal(false);
  });

  it('refuses a code whose state does not match and signs in again', async () => {
    const browser = fakeBrowser(`${SITE}?code=abc&state=forged`);
    browser.store.set('budget.signin', JSON.stringify({ state: 'real', verifier: 'v', returnTo: SITE }));
    expect(await createAuth(config, browser.deps).start()).to.equal(false);
    expect(browser.tokenRequests).to.have.length(0);
    expect(browser.redirects).to.have.length(1);
    expect(browser.url()).to.equal(SITE);
  });

  it('refuses a code when no sign-in is pending (the verifier was already used)', async () => {
    const browser = fakeBrowser(`${SITE}?code=abc&state=replayed`);
    expect(await createAuth(config, browser.deps).start()).to.equal(false);
    expect(browser.tokenRequests).to.have.length(0);
  });

  it('refreshes the access token with the refresh token when it is about to expire', async () => {
    const { browser, auth } = await signedIn();
    browser.advance(3600_000 - 30_000);
    expect(await auth.getToken()).to.equal('access-2');
    expect(browser.tokenRequests[1]).to.deep.equal({ grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'refresh-1' });
    browser.advance(3600_000 - 30_000);
    expect(await auth.getToken()).to.equal('access-3');
    expect(browser.tokenRequests[2]!.refresh_token).to.equal('refresh-1');
  });

  it('keeps the session while the refresh cannot reach Cognito, and refreshes when the network is back', async () => {
    const { browser, auth } = await signedIn();
    browser.advance(3600_000 - 30_000);
    browser.tokenEndpointIs('unreachable');
    const offline = await auth.getToken().then(() => null, (error: unknown) => error);
    expect(offline).to.be.instanceOf(ApiError);
    expect((offline as ApiError).isNetwork).to.equal(true);
    const redirectsOffline = browser.redirects.length;
    browser.advance(10 * 60_000); // the access token has expired meanwhile
    await auth.getToken().catch(() => null);
    expect(browser.redirects, 'no sign-in redirect while offline').to.have.length(redirectsOffline);
    browser.tokenEndpointIs('up');
    expect(await auth.getToken()).to.match(/^access-/);
    expect(browser.tokenRequests.at(-1)).to.include({ grant_type: 'refresh_token', refresh_token: 'refresh-1' });
    expect(browser.redirects).to.have.length(redirectsOffline);
  });

  it('signs in again when Cognito refuses the refresh token', async () => {
    const { browser, auth } = await signedIn();
    browser.advance(3600_000 - 30_000);
    browser.tokenEndpointIs('refuses');
    const before = browser.redirects.length;
    expect(await auth.getToken()).to.equal(null);
    expect(browser.redirects).to.have.length(before + 1);
    expect(browser.redirects.at(-1)).to.contain('/oauth2/authorize?');
  });

  it('starts one sign-in when several requests find no token at once (a second would overwrite its state)', async () => {
    const browser = fakeBrowser(SITE);
    const auth = createAuth(config, browser.deps);
    await Promise.all([auth.getToken(), auth.getToken(), auth.getToken()]);
    expect(browser.redirects).to.have.length(1);
    const state = new URL(browser.redirects[0]!).searchParams.get('state');
    expect(JSON.parse(browser.store.get('budget.signin')!).state).to.equal(state);
  });

  it("names the signed-in user from the access token's sub", async () => {
    const browser = fakeBrowser(SITE);
    const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
    browser.deps.requestTokens = async () => ({ access_token: jwt({ sub: 'user-7f3a', scope: 'budget-api/expenses' }), refresh_token: 'r', expires_in: 3600, token_type: 'Bearer' });
    const first = createAuth(config, browser.deps);
    expect(first.userId()).to.equal(null);
    await first.start();
    browser.returnFromHostedUi();
    const auth = createAuth(config, browser.deps);
    await auth.start();
    expect(auth.userId()).to.equal('user-7f3a');
  });

  it('revokes the refresh token, forgets the tokens and goes to the Hosted UI logout on sign out', async () => {
    const { browser, auth } = await signedIn();
    await auth.signOut();
    expect(browser.revocations).to.deep.equal([{ token: 'refresh-1', client_id: 'client123' }]);
    expect(browser.redirects.at(-1)).to.equal(logoutUrl(config));
    expect(await auth.getToken()).to.equal(null);
  });

  it('signs out even when the revocation fails', async () => {
    const { browser, auth } = await signedIn();
    browser.revokeWith(() => Promise.reject(new Error('offline')));
    await auth.signOut();
    expect(browser.revocations).to.have.length(1);
    expect(browser.redirects.at(-1)).to.equal(logoutUrl(config));
  });

  it('stops waiting for a revocation that does not answer', async () => {
    const { browser, auth } = await signedIn();
    browser.revokeWith(() => new Promise(() => {}));
    await auth.signOut();
    expect(browser.waits).to.deep.equal([REVOKE_WAIT_MS]);
    expect(browser.redirects.at(-1)).to.equal(logoutUrl(config));
  });
});
