import { allowPolicy, denyPolicy, MethodArnError, stageGetResource } from './authorizer-policy';

const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/realtime';

describe('authorizer policy', () => {
  it('allows every GET of the stage so a cached Allow also serves /sessions/active', () => {
    const policy = allowPolicy(methodArn, 'site-a');

    expect(policy.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/*',
      },
    ]);
    expect(policy.context).toEqual({ siteId: 'site-a' });
  });

  it('denies without context', () => {
    const policy = denyPolicy(methodArn);

    expect(policy.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(policy.context).toBeUndefined();
  });

  it('names a method ARN it cannot read', () => {
    expect(() => stageGetResource('not-an-arn')).toThrow(MethodArnError);
    expect(() => stageGetResource('not-an-arn')).toThrow(/"not-an-arn"/);
  });
});
