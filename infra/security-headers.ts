/**
 * The web client's security headers, one definition for both hosts: CloudFront's response headers
 * policy (infra/site.ts) and the local server (src/entrypoints/local/static-files.ts). No imports, so
 * the local server can read it without loading Pulumi.
 */

export const REFERRER_POLICY = 'strict-origin-when-cross-origin';
export const FRAME_OPTIONS = 'DENY';
/** Two years. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** Powerful features the page never uses, denied to it and to anything it could embed. */
const DENIED_FEATURES = [
  'accelerometer', 'autoplay', 'browsing-topics', 'camera', 'display-capture', 'encrypted-media',
  'fullscreen', 'geolocation', 'gyroscope', 'hid', 'idle-detection', 'magnetometer', 'microphone', 'midi',
  'payment', 'picture-in-picture', 'publickey-credentials-get', 'screen-wake-lock', 'serial', 'usb',
  'xr-spatial-tracking',
];
export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(', ');

/**
 * Scripts, styles and everything else from the page's own origin only (no inline script, no eval);
 * `fetch` also to `connectSources`. The manifest, the icons and the service worker are the page's own
 * files, so default-src covers manifest-src and worker-src.
 * form-action and frame-ancestors do not fall back to default-src, so they are set explicitly.
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * What the deployed page calls besides its own origin: the HTTP API (`<api id>.execute-api`) and the
 * Hosted UI's token and revocation endpoints (`<prefix>.auth`). Wildcards, because the distribution
 * (and so this policy) is created before the API and the user pool domain exist.
 */
export function awsConnectSources(region: string): string[] {
  return [`https://*.execute-api.${region}.amazonaws.com`, `https://*.auth.${region}.amazoncognito.com`];
}

/**
 * The headers as the local server sends them. No HSTS: it serves plain HTTP, where browsers ignore it.
 */
export function securityHeaders(connectSources: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(connectSources),
    'permissions-policy': PERMISSIONS_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': FRAME_OPTIONS,
    'referrer-policy': REFERRER_POLICY,
  };
}
