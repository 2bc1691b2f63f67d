/**
 * Registers the service worker (client/sw/service-worker.ts) with workbox-window, and hands over to a
 * new version cleanly: a version that was already waiting when the page started takes over at once
 * (nothing is typed yet; the page reloads once), and one that arrives while the page is open is offered
 * to the user (`onUpdate`), who applies it when ready. Either way no one stays on an old shell.
 */
export function registerServiceWorker(onUpdate: (apply: () => void) => void): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  // Loaded after the first screen: not part of the initial JavaScript.
  void import('workbox-window').then(({ Workbox }) => {
    const wb = new Workbox('/sw.js');
    const apply = () => {
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    };
    wb.addEventListener('waiting', (event) => {
      if (event.wasWaitingBeforeRegister) apply();
      else onUpdate(apply);
    });
    return wb.register();
  }).catch(() => {
    // No service worker (a private window, an old browser): the page works online as before.
  });
}

/** A new version of the page, once the service worker has it ready; the page shows the offer. */
export class UpdateOffer {
  private apply: (() => void) | null = null;
  private readonly listeners = new Set<() => void>();
  offer(apply: () => void): void {
    this.apply = apply;
    for (const listener of this.listeners) listener();
  }
  pending(): (() => void) | null {
    return this.apply;
  }
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
