/** k6 scenario "isolation" (loadtest/k6/README.md): key A over its limit, key B must not notice. */
import type { Options } from 'k6/options';
import { SCENARIOS } from '../lib/scenarios';
import { handleSummaryOf, k6Deps, setUp } from './k6-deps';

const { config, options: built } = setUp('isolation');
export const options: Options = built;
export function noisy(): void {
  SCENARIOS.isolation.exec.noisy(config, k6Deps);
}
export function quiet(): void {
  SCENARIOS.isolation.exec.quiet(config, k6Deps);
}
export const handleSummary = handleSummaryOf('isolation', config);
