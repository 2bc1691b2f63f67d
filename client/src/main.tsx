import { render } from 'preact';
import { ApiError, createApiClient, loadRuntimeConfig } from './api.js';
import type { Auth } from './auth.js';
import { App } from './components/App.js';
import { createOfflineApi } from './offline/offline-api.js';
import { registerServiceWorker, UpdateOffer } from './offline/service-worker.js';
import type { OfflineStore } from './offline/store.js';
import type { AuthConfig } from './types.js';

/** The last user signed in on this device: whose data and queue an offline start shows. Not a secret. */
const LAST_USER_KEY = 'budget.lastUser';
/** The owner of what is kept on the device when the page runs without sign-in (locally). */
const LOCAL_OWNER = 'local';

/**
 * Start-up: read /config.json (the service worker keeps its last copy), sign in when it asks for auth,
 * then show the page. With no network and a user known on this device, it starts without signing in:
 * the last data is shown and changes queue; once back online, the first request signs in again
 * (tokens live only in memory, see auth.ts) and the queue is sent.
 */
async function start(root: HTMLElement): Promise<void> {
  const updates = new UpdateOffer();
  // The device store (IndexedDB through idb) loads and opens while config.json is fetched.
  const opening = openStore();
  let config;
  try {
    config = await loadRuntimeConfig();
  } catch (error) {
    renderFatal(root, error instanceof Error ? error.message : String(error));
    return;
  }
  // Sign-in code is loaded only where the page signs in (on AWS; not with `npm start`).
  const auth = config.auth ? (await import('./auth.js')).createAuth(config.auth) : null;
  let owner = LOCAL_OWNER;
  let startedOffline = false;
  if (auth && config.auth) {
    const lastUser = localStorage.getItem(LAST_USER_KEY);
    startedOffline = lastUser !== null && !new URL(location.href).searchParams.has('code') && !(await canReach(config.auth));
    if (startedOffline) {
      owner = lastUser!;
    } else {
      try {
        if (!(await auth.start())) return; // on the way to the Hosted UI
      } catch (error) {
        renderFatal(root, error instanceof Error ? error.message : String(error));
        return;
      }
      const userId = auth.userId();
      // Cognito's access tokens always name their user; without a name, nothing is kept for an offline start.
      if (userId) localStorage.setItem(LAST_USER_KEY, userId);
      owner = userId ?? LOCAL_OWNER;
    }
  }
  const authConfig = config.auth;
  const api = createApiClient({
    baseUrl: config.apiBaseUrl,
    ...(auth && authConfig ? { getToken: () => tokenFor(auth, authConfig, startedOffline), onUnauthorized: () => void auth.signIn() } : {}),
  });
  // Rendered while the device store may still be opening: only the queue and offline answers wait for it.
  const offline = createOfflineApi(api, opening, owner);
  root.textContent = '';
  render(
    <App api={offline.api} offline={offline} updates={updates}
      {...(auth ? { onSignOut: async () => { await (await opening).clearSnapshots(owner).catch(() => {}); await auth.signOut(); } } : {})} />,
    root,
  );
  // After the page has loaded and shown itself: installing the worker fetches every chunk to precache,
  // which must not compete with what the first screen needs.
  const register = () => setTimeout(() => registerServiceWorker((apply) => updates.offer(apply)), 1_000);
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}

/**
 * Started offline, a request waits until the sign-in service answers rather than leaving for a
 * sign-in page that cannot load (navigator.onLine alone is not enough: a weak signal says online).
 */
async function tokenFor(auth: Auth, authConfig: AuthConfig, startedOffline: boolean): Promise<string | null> {
  if (startedOffline && auth.userId() === null && !(await canReach(authConfig))) {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  return auth.getToken();
}

/** Whether the Hosted UI answers at all (an opaque no-cors request, 4 s at most): signing in needs it. */
async function canReach(authConfig: AuthConfig): Promise<boolean> {
  if (!navigator.onLine) return false;
  try {
    await fetch(authConfig.domain, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(4_000) });
    return true;
  } catch {
    return false;
  }
}

/** IndexedDB; memory when the browser refuses it (some private windows): the page still works online. */
async function openStore(): Promise<OfflineStore> {
  const { indexedDbOfflineStore, memoryOfflineStore } = await import('./offline/store.js');
  try {
    return await indexedDbOfflineStore();
  } catch {
    return memoryOfflineStore();
  }
}

function renderFatal(root: HTMLElement, message: string): void {
  root.textContent = '';
  render(
    <div class="error-panel" role="alert">
      <p><strong>The page could not start.</strong> {message}</p>
      <button type="button" onClick={() => location.reload()}>Retry</button>
    </div>,
    root,
  );
}

void start(document.getElementById('app')!);
