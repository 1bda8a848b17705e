/**
 * `npm run bench:idle-cost`: the itemised monthly idle cost of the default stage and of the
 * small profile, counted from their synthesized templates (infra/idle-cost.ts). Two figures per
 * stage: as the only stage of its account (its dashboards and budget within the account's free
 * ones) and as a further stage (none free). Last line: one JSON object.
 */
import {
  FIRST_STAGE_ALLOWANCES,
  NO_ALLOWANCES,
  SMALL_PROFILE_CONTEXT,
  idleCost,
  type IdleCost,
} from '../../infra/idle-cost';
import { synthesizeTemplate } from '../../infra/idle-cost-synth';

function print(title: string, cost: IdleCost, further: IdleCost): void {
  process.stdout.write(`\n${title}\n`);
  for (const item of further.items) {
    process.stdout.write(`  ${item.usdPerMonth.toFixed(2).padStart(7)}  ${item.item}\n`);
  }
  process.stdout.write(
    `  total: $${cost.usdPerMonth.toFixed(2)} as the account's only stage, ` +
      `$${further.usdPerMonth.toFixed(2)} as a further stage\n`,
  );
}

const defaultTemplate = synthesizeTemplate({});
const smallTemplate = synthesizeTemplate(SMALL_PROFILE_CONTEXT);
const result = {
  default: idleCost(defaultTemplate, FIRST_STAGE_ALLOWANCES),
  defaultFurther: idleCost(defaultTemplate, NO_ALLOWANCES),
  small: idleCost(smallTemplate, FIRST_STAGE_ALLOWANCES),
  smallFurther: idleCost(smallTemplate, NO_ALLOWANCES),
};
print('default stage (no context)', result.default, result.defaultFurther);
print(
  `small profile (${Object.entries(SMALL_PROFILE_CONTEXT)
    .map(([key, value]) => `-c ${key}=${value}`)
    .join(' ')})`,
  result.small,
  result.smallFurther,
);
process.stdout.write(
  `${JSON.stringify({
    bench: 'idle-cost',
    defaultUsdPerMonth: result.default.usdPerMonth,
    smallUsdPerMonth: result.small.usdPerMonth,
    defaultFurtherStageUsdPerMonth: result.defaultFurther.usdPerMonth,
    smallFurtherStageUsdPerMonth: result.smallFurther.usdPerMonth,
  })}\n`,
);
