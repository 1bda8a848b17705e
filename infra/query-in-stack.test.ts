/**
 * The query API and the dashboard inside LiveInsightStack: they share the ingest API's REST API
 * and stage (the stage keeps POST /events' throttle and gains GET /realtime's 3 s cache), read
 * DataResources' tables and serve from its dashboard bucket.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LiveInsightStack } from './liveinsight-stack';

const template = Template.fromStack(
  new LiveInsightStack(new App(), 'QueryInStack', { stage: 'liveinsight-test' }),
);

describe('query API and dashboard in LiveInsightStack', () => {
  it('adds GET /realtime caching to the ingest stage without losing its POST /events throttle', () => {
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/~1realtime', HttpMethod: 'GET', CacheTtlInSeconds: 3 }),
        Match.objectLike({
          ResourcePath: '/~1events',
          HttpMethod: 'POST',
          ThrottlingRateLimit: Match.anyValue(),
        }),
      ]),
    });
  });

  it('reads the stack’s ActiveSessions, RealtimeRollups and ReadTokens tables', () => {
    const functions = JSON.stringify(template.findResources('AWS::Lambda::Function'));

    expect(functions).toMatch(
      /"LIVEINSIGHT_ACTIVE_SESSIONS_TABLE":\{"Ref":"DataActiveSessionsTable\w+"\}/,
    );
    expect(functions).toMatch(
      /"LIVEINSIGHT_REALTIME_ROLLUPS_TABLE":\{"Ref":"DataRealtimeRollupsTable\w+"\}/,
    );
    expect(functions).toMatch(/"LIVEINSIGHT_READ_TOKENS_TABLE":\{"Ref":"DataReadTokensTable\w+"\}/);
  });

  it('serves the dashboard from the stack’s dashboard bucket and prints both URLs', () => {
    const distribution = JSON.stringify(template.findResources('AWS::CloudFront::Distribution'));

    expect(distribution).toMatch(/DataDashboardBucket\w+/);
    template.hasOutput('DashboardUrl', Match.anyValue());
    template.hasOutput('ApiUrl', Match.anyValue());
  });
});
