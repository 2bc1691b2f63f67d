/**
 * Sign-in through the Cognito Hosted UI: OAuth 2 authorization code with PKCE, no client secret and
 * no SDK. The tokens live only in this module's memory, never in Web Storage, so no script can read
 * them after the page is gone. Only the sign-in in progress (PKCE verifier, state, the page to come back
 * to) waits in sessionStorage across the redirect, and it is removed as soon as the redirect returns.
 * A reload therefore signs in again: while the Hosted UI's own session cookie lasts, that is two
 * redirects without a prompt. The API gets the access token, the token made for it (its scope is
 * checked by the API's authorizer); sign-out revokes the refresh token.
 */
import { ApiError, requestTokens, revokeToken, type TokenResponse } from './api.js';
import type { AuthConfig } from './types.js';

const SIGN_IN_KEY = 'budget.signin';
/** Where versions before in-memory tokens kept them; removed at start so none stays behind. */
const LEGACY_TOKENS_KEY = 'budget.tokens';
/** How long sign-out waits for the revocation before it leaves the page anyway. */
export const REVOKE_WAIT_MS = 3_000;

/** A sign-in on its way through the Hosted UI. */
interface PendingSignIn {
  state: string;
  verifier: string;
  /** The page's URL when it had to sign in, restored afterwards (e.g. its #YYYY-MM). */
  returnTo: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms. */
  expiresAt: number;
}

export interface AuthDeps {
  /** Holds the pending sign-in across the redirect: sessionStorage. */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The current page URL. */
  currentUrl: () => string;
  /** Leaves the page (to the Hosted UI). */
  redirect: (url: string) => void;
  /** Replaces the current URL without reloading (drops ?code=&state=). */
  replaceUrl: (url: string) => void;
  requestTokens: (domain: string, form: Record<string, string>) => Promise<TokenResponse>;
  revokeToken: (domain: string, form: { token: string; client_id: string }) => Promise<void>;
  wait: (ms: number) => Promise<void>;
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
    revokeToken: (domain, form) => revokeToken(domain, form),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
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
  /** Finishes a redirect back from the Hosted UI; false when it had to redirect to sign in. */
  start(): Promise<boolean>;
  /**
   * A valid access token (refreshed when near expiry); redirects to sign in when there is none.
   * Rejects with a network ApiError when the refresh cannot reach Cognito (the session is kept).
   */
  getToken(): Promise<string | null>;
  /** The signed-in user's id (the access token's `sub`), or null. */
  userId(): string | null;
  signIn(): Promise<void>;
  /** Forgets the tokens, revokes the refresh token (waiting at most REVOKE_WAIT_MS) and leaves for the Hosted UI logout. */
  signOut(): Promise<void>;
}

export function createAuth(config: AuthConfig, deps: AuthDeps = browserAuthDeps()): Auth {
  let tokens: Tokens | null = null;
  let refreshing: Promise<Tokens | null> | null = null;

  const keep = (t: TokenResponse, previousRefresh: string | null = null): Tokens => {
    tokens = {
      accessToken: t.access_token,
      refreshToken: t.refresh_token ?? previousRefresh,
      expiresAt: deps.now() + t.expires_in * 1000,
    };
    return tokens;
  };

  /** Reads and removes the pending sign-in: a verifier and state are good for one redirect only. */
  const takePendingSignIn = (): PendingSignIn | null => {
    const stored = deps.storage.getItem(SIGN_IN_KEY);
    deps.storage.removeItem(SIGN_IN_KEY);
    try {
      const pending = JSON.parse(stored ?? 'null') as PendingSignIn | null;
      return pending && typeof pending.state === 'string' && typeof pending.verifier === 'string' ? pending : null;
    } catch {
      return null;
    }
  };

  /** The access token, refreshed when it expires within a minute; null when signed out. */
  async function currentToken(): Promise<string | null> {
    if (!tokens) return null;
    if (tokens.expiresAt - deps.now() > 60_000) return tokens.accessToken;
    const refreshToken = tokens.refreshToken;
    if (!refreshToken) return null;
    // Offline, the refresh fails as the network does and is tried again later: the session is kept.
    // Any other failure (the refresh token revoked or expired) means signing in again.
    refreshing ??= deps.requestTokens(config.domain, { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken })
      .then((t) => keep(t, refreshToken), (error: unknown) => {
        if (error instanceof ApiError && error.isNetwork) throw error;
        return null;
      })
      .finally(() => { refreshing = null; });
    return (await refreshing)?.accessToken ?? null;
  }

  /** One redirect at a time: requests that all find no token must not each start a sign-in (and overwrite its state). */
  let leaving: Promise<void> | null = null;
  function signIn(): Promise<void> {
    leaving ??= (async () => {
      const verifier = base64Url(deps.randomBytes(32));
      const state = base64Url(deps.randomBytes(16));
      tokens = null;
      const pending: PendingSignIn = { state, verifier, returnTo: deps.currentUrl() };
      deps.storage.setItem(SIGN_IN_KEY, JSON.stringify(pending));
      deps.redirect(authorizeUrl(config, state, await codeChallenge(verifier, deps.sha256)));
    })();
    return leaving;
  }

  return {
    async start() {
      deps.storage.removeItem(LEGACY_TOKENS_KEY);
      const url = new URL(deps.currentUrl());
      const code = url.searchParams.get('code');
      const state = url.searchParams.get('state');
      if (code && state) {
        const pending = takePendingSignIn();
        url.searchParams.delete('code');
        url.searchParams.delete('state');
        if (pending && pending.state === state) {
          deps.replaceUrl(pending.returnTo);
          keep(await deps.requestTokens(config.domain, {
            grant_type: 'authorization_code',
            client_id: config.clientId,
            code,
            redirect_uri: config.redirectUri,
            code_verifier: pending.verifier,
          }));
          return true;
        }
        deps.replaceUrl(url.toString());
      }
      await signIn();
      return false;
    },
    async getToken() {
      const token = await currentToken();
      if (!token) await signIn();
      return token;
    },
    userId() {
      if (!tokens) return null;
      try {
        const payload = tokens.accessToken.split('.')[1] ?? '';
        const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
        const sub = (JSON.parse(json) as { sub?: unknown }).sub;
        return typeof sub === 'string' ? sub : null;
      } catch {
        return null;
      }
    },
    signIn,
    async signOut() {
      const refreshToken = tokens?.refreshToken ?? null;
      tokens = null;
      if (refreshToken) {
        // A failed or slow revocation must not keep the user signed in on this page.
        const revoked = deps.revokeToken(config.domain, { token: refreshToken, client_id: config.clientId }).catch(() => {});
        await Promise.race([revoked, deps.wait(REVOKE_WAIT_MS)]);
      }
      deps.redirect(logoutUrl(config));
    },
  };
}
