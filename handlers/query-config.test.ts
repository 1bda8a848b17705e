/**
 * The query function's in-process `/realtime` cache comes from its environment: 0 (nothing kept)
 * unless the stack says no stage cache is in front of it (context apiCache=false sets 3000).
 */
import { readQueryConfig } from './config';
import { ENV } from './env-names';

const base = {
  [ENV.activeSessionsTable]: 'active',
  [ENV.realtimeRollupsTable]: 'rollups',
};

describe('readQueryConfig realtimeCacheMs', () => {
  it('keeps nothing in process by default (the stage cache is in front)', () => {
    expect(readQueryConfig(base).realtimeCacheMs).toBe(0);
  });

  it('reads the TTL the stack sets when the stage has no cache cluster', () => {
    expect(readQueryConfig({ ...base, [ENV.realtimeCacheMs]: '3000' }).realtimeCacheMs).toBe(3000);
  });

  it('refuses a TTL that is not a whole number of milliseconds up to a minute', () => {
    expect(() => readQueryConfig({ ...base, [ENV.realtimeCacheMs]: '3s' })).toThrow(
      /LIVEINSIGHT_REALTIME_CACHE_MS is "3s" \(expected an integer from 0 to 60000\)/,
    );
  });
});
