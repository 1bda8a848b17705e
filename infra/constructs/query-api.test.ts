/**
 * The query API and the dashboard hosting as CloudFormation: authorizer with cached decisions
 * keyed by token and site, stage caching of GET /realtime keyed by siteId and token (3 s),
 * least-privilege Query access, and a private bucket behind HTTPS-only CloudFront with a
 * security headers policy; the tracker's versioned, long-cached path on the same distribution.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildOne, manifestOf } from '../../tracker/build/build-tracker';
import { DashboardHosting, TRACKER_CACHE_CONTROL } from './dashboard-hosting';
import { QUERY_STAGE_OPTIONS, QueryApi } from './query-api';
import { nagCheckedApp, nagFindings } from './test-support/nag-report';

function synth(app = new App()): Template {
  const stack = new Stack(app, 'QueryTest', { env: { region: 'eu-west-1' } });
  const api = new apigateway.RestApi(stack, 'Api', {
    deployOptions: { stageName: 'prod', ...QUERY_STAGE_OPTIONS },
  });
  // The REST API, its stage and the tables stand in for IngestApi and DataResources, which
  // check themselves; only what QueryApi and DashboardHosting add is under test here.
  const cloudWatchPolicy =
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]';
  for (const id of ['APIG1', 'APIG2', 'APIG3', 'APIG6', cloudWatchPolicy, 'S1', 'DDB3']) {
    Validations.of(stack).acknowledge({
      id: `AwsSolutions::AwsSolutions-${id}`,
      reason: 'fixture',
    });
  }
  const key = { name: 'pk', type: dynamodb.AttributeType.STRING };
  const sk = { name: 'sk', type: dynamodb.AttributeType.STRING };
  const activeSessionsTable = new dynamodb.Table(stack, 'Active', {
    partitionKey: key,
    sortKey: sk,
  });
  const realtimeRollupsTable = new dynamodb.Table(stack, 'Rollups', {
    partitionKey: key,
    sortKey: sk,
  });
  const readTokensTable = new dynamodb.Table(stack, 'Tokens', { partitionKey: key, sortKey: sk });
  const hosting = new DashboardHosting(stack, 'Dashboard', {
    bucket: new s3.Bucket(stack, 'DashboardBucket', { enforceSSL: true }),
    api,
  });
  new QueryApi(stack, 'Query', {
    api,
    activeSessionsTable,
    realtimeRollupsTable,
    readTokensTable,
    activeSessionShards: 8,
    siteShards: { bigshop: { activeSessionShards: 64, rollupKeys: 32 } },
    dashboardOrigin: hosting.origin,
  });
  return Template.fromStack(stack);
}

const template = synth();
const trackerManifest = manifestOf(buildOne('default'));

function methodOf(path: string): Record<string, unknown> {
  const resources = template.findResources('AWS::ApiGateway::Resource', {
    Properties: { PathPart: path.split('/').pop() },
  });
  const [resourceId] = Object.keys(resources);
  const methods = template.findResources('AWS::ApiGateway::Method', {
    Properties: { HttpMethod: 'GET', ResourceId: { Ref: resourceId } },
  });
  const [method] = Object.values(methods);
  if (method === undefined) throw new Error(`no GET method on ${path}`);
  return (method as { Properties: Record<string, unknown> }).Properties;
}

describe('QueryApi', () => {
  it('authorizes reads with a REQUEST authorizer cached per Authorization header and siteId', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization,method.request.querystring.siteId',
      AuthorizerResultTtlInSeconds: 60,
    });
    expect(methodOf('/realtime')).toMatchObject({ AuthorizationType: 'CUSTOM' });
    expect(methodOf('/sessions/active')).toMatchObject({ AuthorizationType: 'CUSTOM' });
    expect(methodOf('/health')).toMatchObject({ AuthorizationType: 'NONE' });
  });

  it('answers a missing or malformed token with 401 and the contract error body', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: {
        'application/json': Match.stringLikeRegexp(
          '^\\{"error":\\{"code":"unauthorized","message":"Credentials are missing: .*Authorization: Bearer <read token>',
        ),
      },
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
      }),
    });
  });

  it('caches GET /realtime on the stage for 3 s keyed by siteId and token', () => {
    expect(methodOf('/realtime')).toMatchObject({
      RequestParameters: {
        'method.request.querystring.siteId': true,
        'method.request.header.Authorization': true,
      },
      Integration: {
        Type: 'AWS_PROXY',
        CacheKeyParameters: [
          'method.request.querystring.siteId',
          'method.request.header.Authorization',
        ],
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      CacheClusterSize: '0.5',
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1realtime',
          HttpMethod: 'GET',
          CachingEnabled: true,
          CacheTtlInSeconds: 3,
          CacheDataEncrypted: true,
        }),
      ]),
    });
  });

  it('runs both functions on Node 22 with the env names the handlers read', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Environment: {
        Variables: Match.objectLike({
          LIVEINSIGHT_ACTIVE_SESSIONS_TABLE: { Ref: Match.stringLikeRegexp('^Active') },
          LIVEINSIGHT_REALTIME_ROLLUPS_TABLE: { Ref: Match.stringLikeRegexp('^Rollups') },
          LIVEINSIGHT_ACTIVE_SESSION_SHARDS: '8',
          // The hot site's own count: /sessions/active reads 64 shards of it, 8 of any other.
          LIVEINSIGHT_SITE_SHARDS: '{"bigshop":{"activeSessionShards":64,"rollupKeys":32}}',
          LIVEINSIGHT_DASHBOARD_ORIGIN: Match.anyValue(),
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Environment: {
        Variables: { LIVEINSIGHT_READ_TOKENS_TABLE: { Ref: Match.stringLikeRegexp('^Tokens') } },
      },
    });
  });

  it('grants Query and DescribeTable on ActiveSessions, GetItem on ReadTokens, never Scan', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    expect(policies).toContain('"dynamodb:Query"');
    expect(policies).toContain('"dynamodb:DescribeTable"');
    expect(policies).toContain('"dynamodb:GetItem"');
    expect(policies).not.toMatch(/dynamodb:(Scan|\*|PutItem|BatchWriteItem)/);
  });

  it('grants Query, and only Query, on the rollups table', () => {
    const onRollups = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (policy) =>
          (
            policy as {
              Properties: {
                PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
              };
            }
          ).Properties.PolicyDocument.Statement,
      )
      .filter((statement) => JSON.stringify(statement.Resource).includes('"Rollups'));

    expect(onRollups).toEqual([
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        // The table's ARN alone: it has no indexes, so no `/index/*` either.
        Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Rollups/), 'Arn'] }],
      },
    ]);
  });

  it('answers CORS preflights for the dashboard origin only', () => {
    const options = template.findResources('AWS::ApiGateway::Method', {
      Properties: { HttpMethod: 'OPTIONS' },
    });

    expect(Object.keys(options)).toHaveLength(3);
    expect(JSON.stringify(options)).toMatch(
      /"'https:\/\/",\{"Fn::GetAtt":\["DashboardDistribution\w+","DomainName"\]/,
    );
    expect(JSON.stringify(options)).not.toContain("'*'");
  });

  it('refuses a REST API whose stage has no cache', () => {
    const stack = new Stack(new App(), 'NoCache');
    const api = new apigateway.RestApi(stack, 'Api');
    api.root.addMethod('ANY');
    const table = new dynamodb.Table(stack, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });

    expect(
      () =>
        new QueryApi(stack, 'Query', {
          api,
          activeSessionsTable: table,
          realtimeRollupsTable: table,
          readTokensTable: table,
          activeSessionShards: 4,
        }),
    ).toThrow(/cacheClusterEnabled is undefined; expected true.*queryStageOptions\(true\)/);
  });

  it('refuses a stage cache when told the stage has none (stageCache false)', () => {
    const stack = new Stack(new App(), 'CacheNotWanted');
    const api = new apigateway.RestApi(stack, 'Api', { deployOptions: QUERY_STAGE_OPTIONS });
    api.root.addMethod('ANY');
    const table = new dynamodb.Table(stack, 'T', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });

    expect(
      () =>
        new QueryApi(stack, 'Query', {
          api,
          activeSessionsTable: table,
          realtimeRollupsTable: table,
          readTokensTable: table,
          activeSessionShards: 4,
          stageCache: false,
        }),
    ).toThrow(/cacheClusterEnabled is true; expected not true.*queryStageOptions\(false\)/);
  });
});

describe('DashboardHosting', () => {
  it('serves the private bucket through CloudFront over HTTPS only, with security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'https-only',
          ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('SecurityHeaders') },
        }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
      }),
    });
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    );
    const config = JSON.stringify(policy);
    expect(config).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(config).toMatch(/frame-ancestors 'none'/);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 31_536_000 }),
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        }),
      }),
    });
  });

  it("lets the page call its own origin and this stage's API, and no other API", () => {
    // Arrange: the CSP as CloudFormation joins it (the API id and URL suffix are tokens).
    const [policy] = Object.values(
      template.findResources('AWS::CloudFront::ResponseHeadersPolicy'),
    ) as { Properties: { ResponseHeadersPolicyConfig: Record<string, unknown> } }[];
    const csp = (
      policy?.Properties.ResponseHeadersPolicyConfig['SecurityHeadersConfig'] as {
        ContentSecurityPolicy: { ContentSecurityPolicy: unknown };
      }
    ).ContentSecurityPolicy.ContentSecurityPolicy;
    const [apiId] = Object.keys(template.findResources('AWS::ApiGateway::RestApi'));

    // Act: connect-src, with each token written as the reference it is.
    const joined = (csp as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : JSON.stringify(part)))
      .join('');
    const connectSrc = /connect-src ([^;]*)/.exec(joined)?.[1];

    // Assert: exactly 'self' and the origin of this stack's REST API — no wildcard host.
    expect(connectSrc).toBe(
      `'self' https://${JSON.stringify({ Ref: apiId })}.execute-api.eu-west-1.${JSON.stringify({ Ref: 'AWS::URLSuffix' })}`,
    );
    expect(joined).not.toContain('*');
  });

  it('keeps the bucket private: only CloudFront may read it', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('deploys the files with a config.json naming the API and invalidates the cache', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      SourceMarkers: Match.arrayWith([
        Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() }),
      ]),
    });
  });
});

describe('DashboardHosting: the tracker', () => {
  it('serves /tracker/* from the bucket with CORS for any site (SRI needs crossorigin)', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/tracker/*',
            ViewerProtocolPolicy: 'https-only',
            // The managed SimpleCORS policy (Access-Control-Allow-Origin: *).
            ResponseHeadersPolicyId: '60669652-455b-4ae9-85a4-c4c02393f86c',
          }),
        ],
      },
    });
  });

  it('deploys the build under its content version, cached a year, never pruned; the dashboard deployment leaves it alone', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const tracker = deployments.find((d) => d['Properties']['Prune'] === false);
    const dashboard = deployments.find((d) => d['Properties']['Prune'] !== false);
    expect(tracker?.['Properties']).toMatchObject({
      SystemMetadata: {
        'cache-control': TRACKER_CACHE_CONTROL,
        'content-type': 'text/javascript; charset=utf-8',
      },
    });
    expect(dashboard?.['Properties']['Exclude']).toEqual(['tracker/*']);
  });

  it('outputs the versioned script URL and the SRI hash of the build', () => {
    const outputs = template.findOutputs('*');
    expect(outputs['TrackerIntegrity']?.['Value']).toBe(trackerManifest.integrity);
    expect(JSON.stringify(outputs['TrackerScriptUrl']?.['Value'])).toContain(
      `/tracker/${trackerManifest.version}/li.js`,
    );
  });
});

describe('QueryApi and DashboardHosting under cdk-nag', () => {
  it('pass the AwsSolutions checks, with the exceptions stated', () => {
    const { app, outdir } = nagCheckedApp('query-nag-');

    expect(() => synth(app)).not.toThrow();
    // The REST API, its stage, the tables and the bucket are this test's fixtures (IngestApi and
    // DataResources own and check them); the methods and everything else here are ours.
    const fixture =
      /^QueryTest\/(Api\/(Resource|CloudWatchRole|DeploymentStage)|Active|Rollups|Tokens|DashboardBucket)\//;
    const findings = nagFindings(outdir).filter(
      (finding) => !fixture.test(finding.split(' at ')[1] ?? ''),
    );
    expect(findings).toEqual([]);
  });
});
