import { apiRoutes } from '../../adapters/http/api-routes.js';
import { createRouter } from '../../adapters/http/router.js';
import { coreDependencies, lambdaConfig, lambdaContainer } from '../../composition/wiring.js';

// Built once per Lambda instance, reused by every invocation it serves. Every route but the imports'.
const config = lambdaConfig(process.env);
const deps = coreDependencies(lambdaContainer(config), config.allowedOrigins);
export const handler = createRouter(apiRoutes(deps), deps);
