import { apiRoutes } from '../../adapters/http/api-routes.js';
import { createRouter } from '../../adapters/http/router.js';
import { apiDependencies, createContainer, lambdaConfig } from '../../composition-root.js';

// Built once per Lambda instance, reused by every invocation it serves. Every route but the imports'.
const config = lambdaConfig(process.env);
const deps = apiDependencies(createContainer(config), config.allowedOrigins);
export const handler = createRouter(apiRoutes(deps), deps);
