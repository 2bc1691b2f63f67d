import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import sesServer from 'aws-ses-v2-local';

/** An email as the SES emulator keeps it (GET /store). */
export interface EmulatedEmail {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
  at: number;
}

export interface SesLocal {
  /** The SES v2 API's URL, for the SDK client; its root shows the sent emails in a browser. */
  endpoint: string;
  emails(): Promise<EmulatedEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * aws-ses-v2-local, the SES v2 API in process (`npm start` and the tests), so the same SES adapter
 * sends reports here and on AWS. It keeps what it "sends" in memory, one store per process.
 */
export async function startSesLocal(port = 0): Promise<SesLocal> {
  // A CommonJS module whose export is `default`: under ESM the function may sit one level down.
  const module = sesServer as unknown as ((config: { host: string; port: number }) => Promise<Server>) | { default: (config: { host: string; port: number }) => Promise<Server> };
  const start = typeof module === 'function' ? module : module.default;
  const server = await start({ host: '127.0.0.1', port });
  if (!server.listening) throw new Error('the SES emulator did not start listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    emails: async () => ((await (await fetch(`${endpoint}/store`)).json()) as { emails: EmulatedEmail[] }).emails,
    clear: async () => { await fetch(`${endpoint}/clear-store`, { method: 'POST' }); },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
