/**
 * Names of the stack outputs the admin CLI reads: defined in infra/resources.ts (which cli/ may
 * import); re-exported here for the stack that creates them.
 */
export { ADMIN_OUTPUTS, ADMIN_TABLE_OUTPUTS, ADMIN_USAGE_PLAN_OUTPUTS } from './resources';
