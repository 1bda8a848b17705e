/** The handlers' environment for the local product and tests: defined in handlers/handler-env.ts. */
export { handlerEnv } from '../handlers/handler-env';
