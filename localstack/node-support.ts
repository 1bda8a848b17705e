/**
 * The SDK's Node-version warning, handled once for `npm start` and the admin CLI alike: defined
 * in handlers/node-support.ts (which cli/ may import too, DESIGN.md section 2).
 */
export { nodeSupportNotice, silenceSdkNodeWarning } from '../handlers/node-support';
