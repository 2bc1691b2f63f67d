import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A screen whose code loads on demand (its own chunk, precached by the service worker for offline
 * use): until it has loaded, a card with its title holds its place; a failed load offers a retry.
 */
export function lazyScreen<P extends object>(title: string, load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const start = () => (loading ??= load().then((component) => (loaded = component), (error: unknown) => {
    loading = null;
    throw error;
  }));
  return function LazyScreen(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (!loaded && !failed) start().then(() => setReady((n) => n + 1), () => setFailed(true));
    }, [failed]);
    if (loaded) {
      const Screen = loaded;
      return <Screen {...props} />;
    }
    return (
      <section class="card card--loading" aria-busy={!failed}>
        <h2>{title}</h2>
        {failed
          ? <p>This part of the page could not be loaded. <button type="button" onClick={() => setFailed(false)}>Retry</button></p>
          : <p class="muted">Loading…</p>}
      </section>
    );
  };
}
