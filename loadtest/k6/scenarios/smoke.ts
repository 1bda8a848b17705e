/** k6 scenario "smoke" (loadtest/k6/README.md). Run: k6 run -e BASE_URL=… -e SITE_A=… -e KEY_A=… loadtest/k6/scenarios/smoke.ts */
import type { Options } from 'k6/options';
import { SCENARIOS } from '../lib/scenarios';
import { handleSummaryOf, k6Deps, setUp } from './k6-deps';

const { config, options: built } = setUp('smoke');
export const options: Options = built;
export default function (): void {
  SCENARIOS['smoke'].exec.default(config, k6Deps);
}
export const handleSummary = handleSummaryOf('smoke', config);
