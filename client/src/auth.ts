/**
 * Sign-in through the Cognito Hosted UI: OAuth 2 authorization code with PKCE, no client secret and
 * no SDK. The code_verifier and state wait in sessionStorage during the redirect; tokens are kept
 * in sessionStorage too (gone when the tab closes) and refreshed with the refresh token.
 */
import { requestTokens, type TokenResponse } from './api.js';
import type { AuthConfig } from './types.js';

const VERIFIER_KEY = 'budget.pkce.verifier';
const STATE_KEY = 'budget.pkce.state';
const TOKENS_KEY = 'budget.tokens';

export interface StoredTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
}

export interface AuthDeps {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The current page URL. */
  currentUrl: () => string;
  /** Leaves the page (to the Hosted UI). */
  redirect: (url: string) => void;
  /** Replaces the current URL without reloading (drops ?code=&state=). */
  replaceUrl: (url: string) => void;
  requestTokens: (domain: string, form: Record<string, string>) => Promise<TokenResponse>;
  now: () => number;
  randomBytes: (n: number) => Uint8Array;
  sha256: (data: Uint8Array) => Promise<ArrayBuffer>;
}

export function browserAuthDeps(): AuthDeps {
  return {
    storage: sessionStorage,
    currentUrl: () => location.href,
    redirect: (url) => location.assign(url),
    replaceUrl: (url) => history.replaceState(null, '', url),
    requestTokens: (domain, form) => requestTokens(domain, form),
    now: () => Date.now(),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    sha256: (data) => crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>),
  };
}

export function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export async function codeChallenge(verifier: string, sha256: AuthDeps['sha256']): Promise<string> {
  return base64Url(new Uint8Array(await sha256(new TextEncoder().encode(verifier))));
}

export function authorizeUrl(config: AuthConfig, state: string, challenge: string): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${config.domain.replace(/\/+$/, '')}/oauth2/authorize?${params}`;
}

export function logoutUrl(config: AuthConfig): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
  return `${config.domain.replace(/\/+$/, '')}/logout?${params}`;
}

export interface Auth {
  /** Finishes a redirect back from the Hosted UI or restores a session; false when it had to redirect to sign in. */
  start(): Promise<boolean>;
  /** A valid ID token (refreshed when near expiry); redirects to sign in when there is none. */
  getToken(): Promise<string | null>;
  signIn(): Promise<void>;
  signOut(): void;
}

export function createAuth(config: AuthConfig, deps: AuthDeps = browserAuthDeps()): Auth {
  const load = (): StoredTokens | null => {
    try {
      const parsed = JSON.parse(deps.storage.getItem(TOKENS_KEY) ?? 'null') as StoredTokens | null;
      return parsed && typeof parsed.idToken === 'string' ? parsed : null;
    } catch {
      return null;
    }
  };
  const save = (t: TokenResponse, previousRefresh: string | null = null): StoredTokens => {
    const tokens: StoredTokens = {
      idToken: t.id_token,
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? previousRefresh,
      expiresAt: deps.now() + t.expires_in * 1000,
    };
    deps.storage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    return tokens;
  };
  let refreshing: Promise<StoredTokens | null> | null = null;

  /** The stored ID token, refreshed when it expires within a minute; null when signed out. */
  async function currentToken(): Promise<string | null> {
    const tokens = load();
    if (!tokens) return null;
    if (tokens.expiresAt - deps.now() > 60_000) return tokens.idToken;
    if (!tokens.refreshToken) return null;
    const refreshToken = tokens.refreshToken;
    refreshing ??= deps.requestTokens(config.domain, { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken })
      .then((t) => save(t, refreshToken), () => null)
      .finally(() => { refreshing = null; });
    return (await refreshing)?.idToken ?? null;
  }

  async function signIn(): Promise<void> {
    const verifier = base64Url(deps.randomBytes(32));
    const state = base64Url(deps.randomBytes(16));
    deps.storage.setItem(VERIFIER_KEY, verifier);
    deps.storage.setItem(STATE_KEY, state);
    deps.storage.removeItem(TOKENS_KEY);
    deps.redirect(authorizeUrl(config, state, await codeChallenge(verifier, deps.sha256)));
  }

  return {
    async start() {
      const url = new URL(deps.currentUrl());
      const code = url.searchParams.get('code');
      const state = url.searchParams.get('state');
      if (code && state) {
        const expected = deps.storage.getItem(STATE_KEY);
        const verifier = deps.storage.getItem(VERIFIER_KEY);
        deps.storage.removeItem(STATE_KEY);
        deps.storage.removeItem(VERIFIER_KEY);
        url.searchParams.delete('code');
        url.searchParams.delete('state');
        deps.replaceUrl(url.toString());
        if (verifier && expected === state) {
          save(await deps.requestTokens(config.domain, {
            grant_type: 'authorization_code',
            client_id: config.clientId,
            code,
            redirect_uri: config.redirectUri,
            code_verifier: verifier,
          }));
          return true;
        }
      }
      if (await currentToken()) return true;
      await signIn();
      return false;
    },
    async getToken() {
      const token = await currentToken();
      if (!token) await signIn();
      return token;
    },
    signIn,
    signOut() {
      deps.storage.removeItem(TOKENS_KEY);
      deps.redirect(logoutUrl(config));
    },
  };
}
