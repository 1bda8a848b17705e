/** k6 scenario "limits" (loadtest/k6/README.md). Run: k6 run -e BASE_URL=… -e SITE_A=… -e KEY_A=… loadtest/k6/scenarios/limits.ts */
import type { Options } from 'k6/options';
import { SCENARIOS } from '../lib/scenarios';
import { handleSummaryOf, k6Deps, setUp } from './k6-deps';

const { config, options: built } = setUp('limits');
export const options: Options = built;
export default function (): void {
  SCENARIOS['limits'].exec.default(config, k6Deps);
}
export const handleSummary = handleSummaryOf('limits', config);
