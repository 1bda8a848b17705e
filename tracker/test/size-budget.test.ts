/**
 * The tracker's size, deterministic (esbuild minify + zlib gzip level 9 of the same sources), so
 * it may fail: each build stays within its ceiling (it can only shrink), and the report prints the
 * target of DESIGN.md section 6 beside it.
 */
import { TRACKER_BUILDS, buildAll, sizeLine } from '../build/build-tracker';

const built = buildAll();

describe('tracker size', () => {
  it('prints each build', () => {
    console.log(Object.values(built).map(sizeLine).join('\n'));
    expect(Object.keys(built)).toEqual(Object.keys(TRACKER_BUILDS));
  });

  it.each(Object.values(built).map((file) => [file.file, file] as const))(
    '%s stays within its gzip ceiling',
    (_name, file) => {
      expect(file.gzipBytes).toBeLessThanOrEqual(TRACKER_BUILDS[file.name].ceilingBytes);
    },
  );

  it('builds the same bytes from the same sources', () => {
    expect(buildAll().default.code).toBe(built.default.code);
  });
});
