import { importRoutes } from '../../adapters/http/import-routes.js';
import { createRouter } from '../../adapters/http/router.js';
import { bindImports, importDependencies } from '../../composition/imports.js';
import { lambdaConfig, lambdaContainer } from '../../composition/wiring.js';

// The import routes (/api/imports...): uploads of up to 5 MB parsed and planned in memory.
const config = lambdaConfig(process.env);
const container = lambdaContainer(config);
bindImports(container, 'dynamodb');
const deps = importDependencies(container, config.allowedOrigins);
export const handler = createRouter(importRoutes(deps), deps);
