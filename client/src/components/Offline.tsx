import { useEffect, useState } from 'preact/hooks';
import type { OfflineApi, OfflineStatus } from '../offline/offline-api.js';
import type { UpdateOffer } from '../offline/service-worker.js';

/** The offline layer's state, re-rendered on every change. */
export function useOfflineStatus(offline: OfflineApi | undefined): OfflineStatus | null {
  const [status, setStatus] = useState(() => offline?.status() ?? null);
  useEffect(() => offline?.subscribe(() => setStatus(offline.status())), [offline]);
  return status;
}

/** The new version the service worker has ready, offered until applied. */
export function UpdateNotice(props: { updates: UpdateOffer | undefined }) {
  const [apply, setApply] = useState(() => props.updates?.pending() ?? null);
  useEffect(() => props.updates?.subscribe(() => setApply(() => props.updates!.pending())), [props.updates]);
  if (!apply) return null;
  return (
    <div class="notice" role="status">
      <span>A new version of this page is ready.</span>
      <button type="button" onClick={apply}>Reload to update</button>
    </div>
  );
}

const relative = typeof Intl.RelativeTimeFormat === 'function' ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }) : null;

/** "5 minutes ago", "yesterday": how old the data shown offline is. */
export function ageText(savedAt: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - savedAt) / 1000));
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] = seconds < 60 ? [-seconds, 'second']
    : seconds < 3600 ? [-Math.floor(seconds / 60), 'minute']
    : seconds < 86_400 ? [-Math.floor(seconds / 3600), 'hour']
    : [-Math.floor(seconds / 86_400), 'day'];
  return relative ? relative.format(value, unit) : `${-value} ${unit}s ago`;
}

/** Offline: says so, and how old the data shown is. */
export function OfflineNotice(props: { status: OfflineStatus | null; now: number }) {
  const { status } = props;
  if (!status?.offline) return null;
  return (
    <div class="notice notice--offline" role="status" data-testid="offline-notice">
      <span>
        <strong>Offline.</strong>{' '}
        {status.dataSavedAt !== null
          ? <>Showing what the server sent {ageText(status.dataSavedAt, props.now)} (<time dateTime={new Date(status.dataSavedAt).toISOString()}>{new Date(status.dataSavedAt).toLocaleString()}</time>). </>
          : 'Nothing from the server is kept on this device yet. '}
        What you add, edit or delete is kept here and sent when you are back online.
      </span>
    </div>
  );
}
