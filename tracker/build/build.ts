/**
 * `npm run build:tracker`: writes tracker/dist (li.js, li.core.js, li.mjs, li.d.ts,
 * manifest.json) and prints each build's size against its budget.
 */
import { TRACKER_BUILDS, TRACKER_DIST, buildAll, writeTrackerDist } from './build-tracker';

const manifest = writeTrackerDist();
const built = buildAll();
for (const file of Object.values(built)) {
  const budget = TRACKER_BUILDS[file.name].budgetBytes;
  console.log(
    `${file.file.padEnd(11)} ${String(file.bytes).padStart(6)} B  ${String(file.gzipBytes).padStart(5)} B gzip` +
      (budget === undefined ? '' : `  (budget ${budget} B)`),
  );
}
console.log(`${TRACKER_DIST}/manifest.json  version ${manifest.version}  ${manifest.integrity}`);
