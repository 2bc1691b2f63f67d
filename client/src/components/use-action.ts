import { useState } from 'preact/hooks';
import { toApiError } from './ExpenseForm.js';

export interface ActionStatus {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * What every form of the page does around a request: one at a time (`busy`), the outcome in a
 * status line, and the server's field messages (`errors`) for the fields it names.
 */
export function useAction() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<ActionStatus | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs `action` unless one is running; its text (if any) becomes the status. False when refused or failed. */
  async function run(action: () => Promise<string | null>): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setStatus(null);
    try {
      const text = await action();
      setErrors({});
      if (text) setStatus({ kind: 'ok', text });
      return true;
    } catch (error) {
      const e = toApiError(error);
      setErrors(e.fields);
      setStatus({ kind: 'error', text: e.message });
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, status, setStatus, busy, run };
}
