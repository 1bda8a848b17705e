import { readLocalConfig } from '../localstack/local-config';
import { readLocalStackLocation } from './local-stack-location';

describe('readLocalStackLocation', () => {
  it("reads npm start's prefix and state folder as the local stack's own config does", () => {
    for (const env of [
      {},
      { LIVEINSIGHT_STAGE: 'liveinsight-mine', LIVEINSIGHT_STATE_DIR: '/tmp/state' },
      { LIVEINSIGHT_STAGE: '  ', LIVEINSIGHT_STATE_DIR: ' .other ' },
    ]) {
      const { stage, stateDir } = readLocalConfig(env);
      expect(readLocalStackLocation(env)).toEqual({ stage, stateDir });
    }
    expect(readLocalStackLocation({})).toEqual({
      stage: 'liveinsight-dev',
      stateDir: '.liveinsight',
    });
  });
});
