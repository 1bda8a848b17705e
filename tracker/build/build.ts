/**
 * `npm run build:tracker`: writes tracker/dist (li.js, li.core.js, li.mjs, li.d.ts,
 * manifest.json) and prints each build's size against its budget.
 */
import { TRACKER_DIST, buildAll, sizeLine, writeTrackerDist } from './build-tracker';

const manifest = writeTrackerDist();
const built = buildAll();
for (const file of Object.values(built)) {
  console.log(sizeLine(file));
}
console.log(`${TRACKER_DIST}/manifest.json  version ${manifest.version}  ${manifest.integrity}`);
