import { render } from 'preact';
import { createApiClient, loadRuntimeConfig } from './api.js';
import { createAuth } from './auth.js';
import { App } from './components/App.js';

/** Start-up: read /config.json, sign in when it asks for auth, then show the page. */
async function start(root: HTMLElement): Promise<void> {
  let config;
  try {
    config = await loadRuntimeConfig();
  } catch (error) {
    renderFatal(root, error instanceof Error ? error.message : String(error));
    return;
  }
  const auth = config.auth ? createAuth(config.auth) : null;
  if (auth) {
    try {
      if (!(await auth.start())) return; // on the way to the Hosted UI
    } catch (error) {
      renderFatal(root, error instanceof Error ? error.message : String(error));
      return;
    }
  }
  const api = createApiClient({
    baseUrl: config.apiBaseUrl,
    ...(auth ? { getToken: () => auth.getToken(), onUnauthorized: () => void auth.signIn() } : {}),
  });
  root.textContent = '';
  render(<App api={api} {...(auth ? { onSignOut: () => auth.signOut() } : {})} />, root);
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
