import { SDK_NODE_WARNING_SWITCH, nodeSupportNotice, silenceSdkNodeWarning } from './node-support';

describe("npm start's Node notice", () => {
  it('says once, in one line, that the SDK needs Node 22 after early January 2027', () => {
    expect(nodeSupportNotice('v20.20.2')).toBe(
      'Node v20.20.2: AWS SDK releases after the first week of January 2027 need Node >= 22; ' +
        'the lockfile pins SDK versions that run on 20 — upgrade Node before updating them.',
    );
  });

  it('says nothing on Node 22 and later', () => {
    expect(nodeSupportNotice('v22.0.0')).toBeUndefined();
    expect(nodeSupportNotice('v24.3.1')).toBeUndefined();
  });

  it("turns the SDK's own warning off unless the user chose otherwise", () => {
    const fresh: NodeJS.ProcessEnv = {};
    const chosen: NodeJS.ProcessEnv = { [SDK_NODE_WARNING_SWITCH]: 'false' };

    silenceSdkNodeWarning(fresh);
    silenceSdkNodeWarning(chosen);

    expect(fresh[SDK_NODE_WARNING_SWITCH]).toBe('true');
    expect(chosen[SDK_NODE_WARNING_SWITCH]).toBe('false');
  });
});
