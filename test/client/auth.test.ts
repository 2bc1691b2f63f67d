import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { TokenResponse } from '../../client/src/api.js';
import { authorizeUrl, base64Url, codeChallenge, createAuth, logoutUrl, type AuthDeps } from '../../client/src/auth.js';
import type { AuthConfig } from '../../client/src/types.js';

const config: AuthConfig = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  clientId: 'client123',
  domain: 'https://demo.auth.eu-west-1.amazoncognito.com',
  redirectUri: 'https://d1.cloudfront.net',
  scopes: ['openid', 'email'],
};

const sha256: AuthDeps['sha256'] = async (data) => {
  const digest = createHash('sha256').update(data).digest();
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
};

function fakeDeps(url: string) {
  const store = new Map<string, string>();
  const redirects: string[] = [];
  const tokenRequests: Record<string, string>[] = [];
  let now = 1_000_000;
  let counter = 0;
  let replaced = url;
  const deps: AuthDeps = {
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v), removeItem: (k) => void store.delete(k) },
    currentUrl: () => url,
    redirect: (u) => void redirects.push(u),
    replaceUrl: (u) => void (replaced = u),
    requestTokens: async (_domain, form): Promise<TokenResponse> => {
      tokenRequests.push(form);
      return { id_token: `id-${tokenRequests.length}`, access_token: 'ac', refresh_token: 'rt', expires_in: 3600, token_type: 'Bearer' };
    },
    now: () => now,
    randomBytes: (n) => new Uint8Array(n).fill(++counter),
    sha256,
  };
  return { deps, store, redirects, tokenRequests, advance: (ms: number) => void (now += ms), replaced: () => replaced };
}

describe('client sign-in (Cognito Hosted UI, PKCE)', () => {
  it('derives the S256 code challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', sha256)).to.equal('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(base64Url(new Uint8Array([251, 255]))).to.equal('-_8');
  });

  it('builds the authorize and logout URLs', () => {
    const url = new URL(authorizeUrl(config, 'st', 'ch'));
    expect(url.origin + url.pathname).to.equal('https://demo.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      response_type: 'code', client_id: 'client123', redirect_uri: 'https://d1.cloudfront.net', scope: 'openid email',
      state: 'st', code_challenge: 'ch', code_challenge_method: 'S256',
    });
    expect(logoutUrl(config)).to.equal('https://demo.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fd1.cloudfront.net');
  });

  it('redirects to the Hosted UI with a challenge of the verifier it keeps in sessionStorage', async () => {
    const f = fakeDeps('https://d1.cloudfront.net/');
    expect(await createAuth(config, f.deps).start()).to.equal(false);
    expect(f.redirects).to.have.length(1);
    const url = new URL(f.redirects[0]!);
    const verifier = f.store.get('budget.pkce.verifier')!;
    expect(verifier).to.have.length.greaterThanOrEqual(43);
    expect(url.searchParams.get('code_challenge')).to.equal(await codeChallenge(verifier, sha256));
    expect(url.searchParams.get('state')).to.equal(f.store.get('budget.pkce.state'));
  });

  it('exchanges the returned code with the verifier, strips it from the URL and uses the ID token', async () => {
    const first = fakeDeps('https://d1.cloudfront.net/');
    await createAuth(config, first.deps).start();
    const state = first.store.get('budget.pkce.state')!;
    const verifier = first.store.get('budget.pkce.verifier')!;

    const back = fakeDeps(`https://d1.cloudfront.net/?code=abc&state=${state}#2026-11`);
    back.deps.storage.setItem('budget.pkce.state', state);
    back.deps.storage.setItem('budget.pkce.verifier', verifier);
    const auth = createAuth(config, back.deps);
    expect(await auth.start()).to.equal(true);
    expect(back.tokenRequests[0]).to.deep.equal({
      grant_type: 'authorization_code', client_id: 'client123', code: 'abc', redirect_uri: 'https://d1.cloudfront.net', code_verifier: verifier,
    });
    expect(back.replaced()).to.equal('https://d1.cloudfront.net/#2026-11');
    expect(back.store.has('budget.pkce.verifier')).to.equal(false);
    expect(await auth.getToken()).to.equal('id-1');
  });

  it('refuses a code whose state does not match and signs in again', async () => {
    const f = fakeDeps('https://d1.cloudfront.net/?code=abc&state=forged');
    f.deps.storage.setItem('budget.pkce.state', 'real');
    f.deps.storage.setItem('budget.pkce.verifier', 'v');
    expect(await createAuth(config, f.deps).start()).to.equal(false);
    expect(f.tokenRequests).to.have.length(0);
    expect(f.redirects).to.have.length(1);
  });

  it('refreshes the token when it is about to expire', async () => {
    const f = fakeDeps('https://d1.cloudfront.net/');
    f.deps.storage.setItem('budget.tokens', JSON.stringify({ idToken: 'old', accessToken: 'a', refreshToken: 'rt', expiresAt: 1_000_000 + 30_000 }));
    const auth = createAuth(config, f.deps);
    expect(await auth.getToken()).to.equal('id-1');
    expect(f.tokenRequests[0]).to.deep.equal({ grant_type: 'refresh_token', client_id: 'client123', refresh_token: 'rt' });
    expect(JSON.parse(f.store.get('budget.tokens')!).refreshToken).to.equal('rt');
  });

  it('forgets the tokens and goes to the Hosted UI logout on sign out', () => {
    const f = fakeDeps('https://d1.cloudfront.net/');
    f.deps.storage.setItem('budget.tokens', '{}');
    createAuth(config, f.deps).signOut();
    expect(f.store.has('budget.tokens')).to.equal(false);
    expect(f.redirects[0]).to.match(/\/logout\?client_id=client123/);
  });
});
