import { stopSharedServices } from './services.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const mochaHooks = {
  async afterAll() {
    await stopSharedServices();
  },
};
