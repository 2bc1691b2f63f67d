import { createApiHandler } from '../../adapters/http/api-handler.js';
import { apiDependencies, createContainer, lambdaConfig } from '../../composition-root.js';

// Built once per Lambda instance, reused by every invocation it serves.
const config = lambdaConfig(process.env);
export const handler = createApiHandler(apiDependencies(createContainer(config), config.allowedOrigins));
