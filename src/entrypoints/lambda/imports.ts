import { importRoutes } from '../../adapters/http/import-routes.js';
import { createRouter } from '../../adapters/http/router.js';
import { apiDependencies, createContainer, lambdaConfig } from '../../composition-root.js';

// The import routes (/api/imports...): uploads of up to 5 MB parsed and planned in memory.
const config = lambdaConfig(process.env);
const deps = apiDependencies(createContainer(config), config.allowedOrigins);
export const handler = createRouter(importRoutes(deps), deps);
