import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * scripts/build.mjs). Lambda hands a function its role's credentials in environment variables,
 * so the default chain's SSO, profile-file, web-identity and container providers, and the
 * clients they bring, are dead weight: about 17% of the API bundle and part of its cold start.
 */
export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
