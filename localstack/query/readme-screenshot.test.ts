import { join, resolve } from 'node:path';
import { DOCS_SCREENSHOT, screenshotTarget } from './readme-screenshot';

describe('npm run screenshot:dashboard', () => {
  it('writes to the state folder by default, never over the tracked docs picture', () => {
    expect(screenshotTarget([], '.liveinsight')).toBe(resolve('.liveinsight', 'dashboard.png'));
    expect(screenshotTarget([], '.liveinsight')).not.toBe(DOCS_SCREENSHOT);
  });

  it('replaces docs/dashboard.png only when asked with --docs', () => {
    expect(screenshotTarget(['--docs'], '.liveinsight')).toBe(DOCS_SCREENSHOT);
    expect(DOCS_SCREENSHOT).toBe(join(__dirname, '..', '..', 'docs', 'dashboard.png'));
  });

  it('writes where --out says, and refuses --out with --docs', () => {
    expect(screenshotTarget(['--out', 'shot.png'], '.liveinsight')).toBe(resolve('shot.png'));
    expect(() => screenshotTarget(['--docs', '--out', 'x.png'], '.liveinsight')).toThrow(
      '--docs and --out both name where to write (expected one of them)',
    );
  });
});
