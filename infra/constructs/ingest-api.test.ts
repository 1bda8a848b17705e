import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { match } from 'ts-pattern';
import { ingestRequestModel } from '../../schemas/draft04';
import { INGEST_CASES, type IngestCase } from '../api/__fixtures__/ingest-cases';
import { ENV } from '../../handlers/env-names';
import {
  ACCESS_LOG_FIELDS,
  AUTHORIZER_CACHE_TTL_SECONDS,
  EVENTS_METHOD_THROTTLE,
  GATEWAY_RESPONSES,
  INGEST_KEY_IDENTITY_SOURCE,
  INGEST_KEY_PARAMETER,
  SECURITY_HEADERS,
  TEMPLATE_NAMES,
  USAGE_PLAN_TIERS,
  accessLogFormat,
  readTemplate,
  type GatewayResponseType,
} from '../api/ingest-api-spec';
import { IngestApi, type IngestApiProps } from './ingest-api';
import { nagCheckedApp, nagFindings } from './test-support/nag-report';

function synth(props: Partial<IngestApiProps> = {}, app = new App()) {
  const stack = new Stack(app, 'Test');
  const stream = new kinesis.Stream(stack, 'Events', {
    streamName: 'liveinsight-test-events',
    encryption: kinesis.StreamEncryption.MANAGED,
  });
  const registry = new dynamodb.Table(stack, 'Registry', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const ingest = new IngestApi(stack, 'Ingest', {
    eventsStream: stream,
    registryTable: registry,
    // Prebuilt, not bundled: nothing here is about the bundle (liveinsight-stack.test.ts is).
    // A small directory: staging fingerprints every file of it (infra/constructs costs ~3 s).
    authorizerCode: { kind: 'prebuilt', dir: join(__dirname, 'test-support') },
    ...props,
  });
  return { stack, ingest, template: Template.fromStack(stack) };
}

type Json = Record<string, unknown>;

function method(template: Template, httpMethod: string): Json {
  const found = Object.values(
    template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: httpMethod } }),
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Json }).Properties;
}

function integrationResponses(template: Template): {
  StatusCode: string;
  SelectionPattern?: string;
  ResponseTemplates: Json;
  ResponseParameters: Json;
}[] {
  return (method(template, 'POST')['Integration'] as { IntegrationResponses: never[] })
    .IntegrationResponses;
}

function gatewayResponse(template: Template, type: GatewayResponseType): Json {
  const found = Object.values(
    template.findResources('AWS::ApiGateway::GatewayResponse', {
      Properties: { ResponseType: type },
    }),
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Json }).Properties;
}

describe('IngestApi (synthesized CloudFormation)', () => {
  const { template } = synth();

  it('deploys exactly the .vtl text the local edge renders', () => {
    const post = method(template, 'POST')['Integration'] as Json;
    const options = method(template, 'OPTIONS')['Integration'] as Json;
    // One request template for both media types.
    expect((post['RequestTemplates'] as Json)['text/plain']).toBe(
      (post['RequestTemplates'] as Json)['application/json'],
    );
    const deployed = [
      (post['RequestTemplates'] as Json)['application/json'],
      ...integrationResponses(template).map((r) => r.ResponseTemplates['application/json']),
      (options['RequestTemplates'] as Json)['application/json'],
      ...(options['IntegrationResponses'] as { ResponseTemplates: Json }[]).map(
        (r) => r.ResponseTemplates['application/json'],
      ),
    ];

    expect([...deployed].sort()).toEqual(TEMPLATE_NAMES.map((name) => readTemplate(name)).sort());
  });

  it('integrates POST /events with Kinesis PutRecords through a role that may write the stream', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      ApiKeyRequired: true,
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: Match.stringLikeRegexp('KeyAuthorizer') },
      Integration: {
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        PassthroughBehavior: 'NEVER',
        Uri: {
          'Fn::Join': [
            '',
            Match.arrayWith([Match.stringLikeRegexp(':kinesis:action/PutRecords$')]),
          ],
        },
        Credentials: { 'Fn::GetAtt': [Match.stringLikeRegexp('KinesisPutRole'), 'Arn'] },
        RequestParameters: {
          'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['kinesis:PutRecords']), Effect: 'Allow' }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('KinesisPutRole') }],
    });
  });

  it('checks ?key= with a cached REQUEST authorizer whose key is the usage-plan key', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.querystring.key',
      AuthorizerResultTtlInSeconds: AUTHORIZER_CACHE_TTL_SECONDS,
    });
    // The edge reads the same parameter the deployed identity source names.
    expect(INGEST_KEY_IDENTITY_SOURCE).toBe(`method.request.querystring.${INGEST_KEY_PARAMETER}`);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerUri: Match.anyValue(),
    });
    expect(AUTHORIZER_CACHE_TTL_SECONDS).toBe(300);
    // The authorizer is the function's live alias, reading the registry table named in its env.
    const fn = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Description: Match.stringLikeRegexp('ingest-key authorizer') },
      }),
    );
    expect(fn).toHaveLength(1);
    expect(
      ((fn[0] as { Properties: Json }).Properties['Environment'] as { Variables: Json }).Variables[
        ENV.registryTable
      ],
    ).toEqual({ Ref: expect.stringMatching(/^Registry/) as unknown });
  });

  it('grants the authorizer exactly BatchGetItem on the registry table', () => {
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: {
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Action: 'dynamodb:BatchGetItem' })]),
          },
        },
      }),
    ) as { Properties: { PolicyDocument: { Statement: Json[] }; Roles: Json[] } }[];
    expect(policies).toHaveLength(1);
    const dynamo = policies[0]?.Properties.PolicyDocument.Statement.filter((statement) =>
      JSON.stringify(statement['Action']).includes('dynamodb:'),
    );
    expect(dynamo).toEqual([
      {
        Action: 'dynamodb:BatchGetItem',
        Effect: 'Allow',
        Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Registry/) as unknown, 'Arn'] }],
      },
    ]);
    expect(JSON.stringify(policies[0]?.Properties.Roles)).toContain('AuthorizerFunctionRole');
  });

  it('maps Kinesis 2xx to the 200/207 template and 4xx/5xx to the error template', () => {
    expect(integrationResponses(template).map((r) => [r.StatusCode, r.SelectionPattern])).toEqual([
      ['200', undefined],
      ['503', '[45]\\d{2}'],
    ]);
  });

  it('validates application/json and text/plain bodies with the draft-04 model exported by schemas/', () => {
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Name: 'IngestRequest',
      Schema: ingestRequestModel(),
    });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const post = method(template, 'POST');
    expect(post['RequestValidatorId']).toBeDefined();
    // API Gateway validates only media types that have a model: text/plain needs one too.
    expect(post['RequestModels']).toEqual({
      'application/json': { Ref: expect.stringMatching(/IngestRequestModel/) as unknown },
      'text/plain': { Ref: expect.stringMatching(/IngestRequestModel/) as unknown },
    });
  });

  it('sends the security and CORS headers on every integration answer', () => {
    for (const response of integrationResponses(template)) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(response.ResponseParameters[`method.response.header.${name}`]).toBe(`'${value}'`);
      }
      expect(response.ResponseParameters['method.response.header.Vary']).toBe("'Origin'");
    }
  });

  it('gives every gateway response the error shape, the security headers and the Origin', () => {
    for (const spec of Object.values(GATEWAY_RESPONSES)) {
      const response = gatewayResponse(template, spec.type);
      const body = (response['ResponseTemplates'] as Json)['application/json'] as string;
      expect(response['StatusCode']).toBe(String(spec.statusCode));
      expect(body).toMatch(new RegExp(`^\\{"error":\\{"code":"${spec.code}","message":`));
      const headers = response['ResponseParameters'] as Json;
      expect(headers['gatewayresponse.header.Access-Control-Allow-Origin']).toBe(
        'method.request.header.Origin',
      );
      expect(headers['gatewayresponse.header.X-Content-Type-Options']).toBe("'nosniff'");
    }
  });

  it('answers OPTIONS itself (MOCK) without an API key', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'OPTIONS',
      ApiKeyRequired: false,
      Integration: { Type: 'MOCK' },
    });
  });

  it('logs access as JSON without IPs and traces the stage with X-Ray', () => {
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: Json;
    };
    const props = stage.Properties;
    expect(props['TracingEnabled']).toBe(true);
    const format = (props['AccessLogSetting'] as Json)['Format'] as string;
    expect(format).toBe(accessLogFormat());
    const sample = format
      .replace(/\$context\.error\.messageString/g, '"boom"')
      .replace(/\$context\.[A-Za-z.]+/g, 'x');
    expect(Object.keys(JSON.parse(sample) as Json)).toEqual(Object.keys(ACCESS_LOG_FIELDS));
    expect(format).not.toMatch(/sourceIp|userAgent/);
    expect(props['MethodSettings']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ResourcePath: '/~1events',
          HttpMethod: 'POST',
          ThrottlingRateLimit: EVENTS_METHOD_THROTTLE.rateLimit,
          ThrottlingBurstLimit: EVENTS_METHOD_THROTTLE.burstLimit,
        }),
      ]),
    );
    // Only the stream: sites' origins come from the registry through the authorizer.
    expect(props['Variables']).toEqual({
      eventsStream: { Ref: expect.stringMatching(/^Events/) as unknown },
    });
  });

  it('creates one usage plan per tier on the stage', () => {
    for (const [tier, spec] of Object.entries(USAGE_PLAN_TIERS)) {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        UsagePlanName: `liveinsight-ingest-${tier}`,
        Throttle: { RateLimit: spec.throttle.rateLimit, BurstLimit: spec.throttle.burstLimit },
        Quota: { Limit: spec.quotaPerDay, Period: 'DAY' },
        ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
      });
    }
  });
});

describe('API-Gateway-side cases (the table the local edge is tested against by request)', () => {
  const { template } = synth();
  const post = method(template, 'POST');

  /** What must hold in the deployed API for API Gateway to give the gateway response. */
  const preconditionOf = (type: GatewayResponseType): void =>
    match(type)
      .with('INVALID_API_KEY', () => expect(post['ApiKeyRequired']).toBe(true))
      // No ?key=: the identity source is missing, API Gateway answers without the Lambda.
      .with('UNAUTHORIZED', () =>
        template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
          IdentitySource: 'method.request.querystring.key',
        }),
      )
      // The authorizer's Deny, or its failure.
      .with('ACCESS_DENIED', 'AUTHORIZER_FAILURE', 'AUTHORIZER_CONFIGURATION_ERROR', () =>
        expect(post['AuthorizationType']).toBe('CUSTOM'),
      )
      .with('BAD_REQUEST_PARAMETERS', () =>
        expect((post['RequestParameters'] as Json)['method.request.header.Content-Type']).toBe(
          true,
        ),
      )
      .with('BAD_REQUEST_BODY', () => {
        template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
          ValidateRequestBody: true,
        });
        template.hasResourceProperties('AWS::ApiGateway::Model', {
          Schema: Match.objectLike({
            properties: Match.objectLike({ events: Match.objectLike({ maxItems: 500 }) }),
          }),
        });
      })
      .with('UNSUPPORTED_MEDIA_TYPE', () =>
        expect(post['Integration']).toMatchObject({
          PassthroughBehavior: 'NEVER',
          RequestTemplates: {
            'application/json': expect.any(String) as unknown,
            'text/plain': expect.any(String) as unknown,
          },
        }),
      )
      .with('MISSING_AUTHENTICATION_TOKEN', () =>
        template.resourcePropertiesCountIs('AWS::ApiGateway::Resource', { PathPart: 'events' }, 1),
      )
      .with('THROTTLED', () => {
        template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
          Throttle: Match.objectLike({ RateLimit: 1000 }),
        });
        template.hasResourceProperties('AWS::ApiGateway::Stage', {
          MethodSettings: Match.arrayWith([
            Match.objectLike({ ThrottlingRateLimit: EVENTS_METHOD_THROTTLE.rateLimit }),
          ]),
        });
      })
      .with('QUOTA_EXCEEDED', () =>
        template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
          Quota: Match.objectLike({ Period: 'DAY' }),
        }),
      )
      // API Gateway's own limit (10 MB) and failures need no configuration beyond the response.
      .with(
        'REQUEST_TOO_LARGE',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'INTEGRATION_FAILURE',
        'INTEGRATION_TIMEOUT',
        'API_CONFIGURATION_ERROR',
        () => undefined,
      )
      .exhaustive();

  it.each(INGEST_CASES.map((c) => [c.name, c] as const))('%s', (_name, c: IngestCase) => {
    match(c.deployedBy)
      .with({ kind: 'gateway-response' }, ({ type }) => {
        const response = gatewayResponse(template, type);
        expect(response['StatusCode']).toBe(String(c.expect.status));
        expect((response['ResponseTemplates'] as Json)['application/json']).toContain(
          `"code":"${c.expect.code}"`,
        );
        expect((response['ResponseParameters'] as Json)['gatewayresponse.header.Retry-After']).toBe(
          c.expect.retryAfter === undefined ? undefined : `'${c.expect.retryAfter}'`,
        );
        preconditionOf(type);
      })
      .with({ kind: 'template-verdict' }, ({ verdict }) => {
        const request = (post['Integration'] as { RequestTemplates: Json }).RequestTemplates[
          'application/json'
        ] as string;
        expect(request).toContain(`#set($verdict = '${verdict}')`);
        expect(request).toContain('"StreamName": "liveinsight:reject:$verdict", "Records": []');
        const error = integrationResponses(template).find(
          (r) => r.SelectionPattern === '[45]\\d{2}',
        );
        const text = (error?.ResponseTemplates['application/json'] as string)
          .split('\n')
          .filter((line) => !line.startsWith('##'))
          .join('\n');
        const start = text.indexOf(`contains('liveinsight:reject:${verdict}')`);
        const rest = text.slice(start);
        const branch = rest.slice(0, rest.search(/\n#else/));
        expect(start).toBeGreaterThan(-1);
        expect(branch).toContain(`#set($context.responseOverride.status = ${c.expect.status})`);
        expect(branch).toContain(`"code":"${c.expect.code}"`);
      })
      .exhaustive();
  });
});

describe('IngestApi props', () => {
  it('merges the query API stage options with its own method throttle', () => {
    const { template } = synth({
      stageOptions: {
        cacheClusterEnabled: true,
        cacheClusterSize: '0.5',
        methodOptions: { '/realtime/GET': { cachingEnabled: true, cacheTtl: Duration.seconds(3) } },
      },
    });

    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ResourcePath: '/~1realtime', HttpMethod: 'GET', CachingEnabled: true }),
        Match.objectLike({
          ResourcePath: '/~1events',
          HttpMethod: 'POST',
          ThrottlingRateLimit: EVENTS_METHOD_THROTTLE.rateLimit,
        }),
      ]),
    });
  });

  it.each([
    [{ methodThrottle: { rateLimit: 0, burstLimit: 1 } }, /methodThrottle is .*rateLimit > 0/],
  ])('refuses %j naming the problem', (props, message) => {
    expect(() => synth(props as Partial<IngestApiProps>)).toThrow(message);
  });

  it('passes the AwsSolutions checks, with the public-ingest exceptions stated', () => {
    const { app, outdir } = nagCheckedApp('ingest-nag-');

    // An unacknowledged error fails synthesis; warnings only reach the report.
    expect(() => synth({}, app)).not.toThrow();
    const findings = nagFindings(outdir);
    expect(findings).toEqual([]);
  });
});
