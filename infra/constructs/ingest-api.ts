/**
 * The ingest API: a REST API whose `POST /events` is an AWS service integration straight into
 * Kinesis `PutRecords` — no Lambda at the edge (DESIGN.md section 1). Everything it does comes
 * from infra/api/: the mapping templates (templates/*.vtl, the only copies, rendered locally by
 * the edge too) and the plain-data spec (gateway responses, headers, usage plans, throttling,
 * access-log fields) that the local edge reads as well.
 *
 * What API Gateway enforces itself: the key in `?key=` through a cached Lambda REQUEST
 * authorizer reading the registry table (UNAUTHORIZED / ACCESS_DENIED), the usage plan of the
 * key the authorizer returns as usageIdentifierKey (API key source AUTHORIZER: INVALID_API_KEY,
 * THROTTLED / QUOTA_EXCEEDED) and the stage's method throttle, the draft-04 request model for
 * application/json and text/plain and the required Content-Type (BAD_REQUEST_BODY /
 * BAD_REQUEST_PARAMETERS). What the request template enforces: the authorizer's site = the
 * body's siteId, the site's Origin allow-list ($context.authorizer.origins), the 1 MB body limit
 * in UTF-8 bytes. See localstack/edge/README.md.
 *
 * Ingest keys are not created here: a key's value is `li_<siteId>_<secret>` and must stay out of
 * the CloudFormation template. The admin CLI creates each key as an API Gateway API key on the
 * usage plan of its tier (`usagePlans[tier]`) and as a registry item.
 */
import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import { FUNCTION_TUNING } from '../resources';
import { ingestRequestModel } from '../../schemas/draft04';
import { bundledFunction, type BundledFunction, type FunctionCode } from './bundled-function';
import {
  AUTHORIZER_CACHE_TTL_SECONDS,
  EVENTS_INTEGRATION_RESPONSES,
  EVENTS_METHOD_STATUSES,
  EVENTS_METHOD_THROTTLE,
  EVENTS_PATH,
  GATEWAY_RESPONSES,
  GATEWAY_RESPONSE_TYPES,
  INGEST_KEY_IDENTITY_SOURCE,
  JSON_MEDIA_TYPE,
  OVERRIDDEN_HEADERS,
  PREFLIGHT_INTEGRATION_RESPONSES,
  REQUEST_MEDIA_TYPES,
  STAGE_VARIABLES,
  TIER_NAMES,
  USAGE_PLAN_TIERS,
  accessLogFormat,
  gatewayResponseHeaders,
  gatewayResponseTemplate,
  readTemplate,
  type HeaderMap,
  type HeaderValue,
  type IntegrationResponseSpec,
  type ThrottleSpec,
  type TierName,
  type UsagePlanTier,
} from '../api/ingest-api-spec';

export interface IngestApiProps {
  /** The stream PutRecords writes to; the API's role is granted write on it. */
  readonly eventsStream: kinesis.IStream;
  /** The site and key registry (schemas/registry.ts) the ingest authorizer reads. */
  readonly registryTable: dynamodb.ITable;
  /**
   * Code of the ingest authorizer function.
   * @default { kind: 'bundle' } (handlers/ingest-authorizer/index.ts)
   */
  readonly authorizerCode?: FunctionCode;
  /** @default 'prod' */
  readonly stageName?: string;
  /** @default 'liveinsight-ingest' */
  readonly restApiName?: string;
  /**
   * Usage plans, one per tier (per-key throttle and daily quota).
   * @default USAGE_PLAN_TIERS (starter, standard 1,000 rps / 2,000 burst, scale)
   */
  readonly tiers?: Readonly<Record<TierName, UsagePlanTier>>;
  /**
   * Stage-wide ceiling of POST /events and default of every method, shared by every key (a
   * safety net; per-key limits are the usage plans').
   * @default EVENTS_METHOD_THROTTLE (9,000 rps, burst 5,000)
   */
  readonly methodThrottle?: ThrottleSpec;
  /**
   * EDGE puts CloudFront in front, which sets CloudFront-Viewer-Country (the record's country).
   * @default apigateway.EndpointType.EDGE
   */
  readonly endpointType?: apigateway.EndpointType;
  /**
   * More stage settings, e.g. the query API's QUERY_STAGE_OPTIONS; `methodOptions` are merged
   * with this construct's.
   * @default {}
   */
  readonly stageOptions?: apigateway.StageOptions;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Create the account's API Gateway → CloudWatch Logs role (one per account and region; set
   * false when another stack manages it).
   * @default true
   */
  readonly manageCloudWatchRole?: boolean;
  /**
   * A WAFv2 web ACL (REGIONAL scope) to associate with the stage. Note that WAF inspects only
   * the first 16 KB of a body on API Gateway by default.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /** @default RemovalPolicy.RETAIN for the access logs */
  readonly removalPolicy?: RemovalPolicy;
}

export const INGEST_AUTHORIZER_ENTRY = join(
  __dirname,
  '..',
  '..',
  'handlers',
  'ingest-authorizer',
  'index.ts',
);

export class IngestApiPropsError extends Error {
  override readonly name = 'IngestApiPropsError';
}

/** A header value as an API Gateway mapping expression: `'literal'` or a request header. */
export function mappingExpression(value: HeaderValue): string {
  if (value.kind === 'request-header') return `method.request.header.${value.name}`;
  if (value.value.includes("'")) {
    throw new IngestApiPropsError(
      `Static header value ${JSON.stringify(value.value)} contains a single quote (API Gateway literals cannot)`,
    );
  }
  return `'${value.value}'`;
}

function responseParameters(headers: HeaderMap): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      `method.response.header.${name}`,
      mappingExpression(value),
    ]),
  );
}

function integrationResponse(spec: IntegrationResponseSpec): apigateway.IntegrationResponse {
  return {
    statusCode: String(spec.statusCode),
    ...(spec.selectionPattern === undefined ? {} : { selectionPattern: spec.selectionPattern }),
    responseTemplates: { [JSON_MEDIA_TYPE]: readTemplate(spec.template) },
    responseParameters: responseParameters(spec.headers),
  };
}

function methodResponses(
  statuses: readonly number[],
  specs: readonly IntegrationResponseSpec[],
): apigateway.MethodResponse[] {
  const names = new Set<string>(OVERRIDDEN_HEADERS);
  for (const spec of specs) for (const name of Object.keys(spec.headers)) names.add(name);
  const parameters = Object.fromEntries(
    [...names].map((name) => [`method.response.header.${name}`, false]),
  );
  return statuses.map((status) => ({ statusCode: String(status), responseParameters: parameters }));
}

function validateThrottle(label: string, throttle: ThrottleSpec): void {
  if (
    !(throttle.rateLimit > 0) ||
    !Number.isInteger(throttle.burstLimit) ||
    throttle.burstLimit < 1
  ) {
    throw new IngestApiPropsError(
      `${label} is ${JSON.stringify(throttle)} (expected rateLimit > 0 and an integer burstLimit >= 1)`,
    );
  }
}

export class IngestApi extends Construct {
  readonly api: apigateway.RestApi;
  /** One usage plan per tier; add each site's ingest key to its tier's plan. */
  readonly usagePlans: Readonly<Record<TierName, apigateway.UsagePlan>>;
  /** The role API Gateway assumes to call Kinesis. */
  readonly integrationRole: iam.Role;
  readonly accessLogs: logs.LogGroup;
  /** The key check of POST /events (a REQUEST authorizer with a result cache). */
  readonly authorizer: apigateway.RequestAuthorizer;
  readonly authorizerFunction: BundledFunction;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    const tiers = props.tiers ?? USAGE_PLAN_TIERS;
    const methodThrottle = props.methodThrottle ?? EVENTS_METHOD_THROTTLE;
    validateThrottle('methodThrottle', methodThrottle);
    for (const tier of TIER_NAMES) {
      validateThrottle(`tiers.${tier}.throttle`, tiers[tier].throttle);
      if (!Number.isInteger(tiers[tier].quotaPerDay) || tiers[tier].quotaPerDay < 1) {
        throw new IngestApiPropsError(
          `tiers.${tier}.quotaPerDay is ${tiers[tier].quotaPerDay} (expected an integer >= 1)`,
        );
      }
    }
    const variables: Record<string, string> = {
      [STAGE_VARIABLES.eventsStream]: props.eventsStream.streamName,
    };

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const extra = props.stageOptions ?? {};
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: props.restApiName ?? 'liveinsight-ingest',
      description: 'LiveInsight ingest: POST /events to Kinesis PutRecords (no Lambda)',
      endpointTypes: [props.endpointType ?? apigateway.EndpointType.EDGE],
      // The authorizer returns the key (usageIdentifierKey): usage plans apply per ingest key
      // without a custom header, so a browser's POST stays a CORS-simple request.
      apiKeySourceType: apigateway.ApiKeySourceType.AUTHORIZER,
      cloudWatchRole: props.manageCloudWatchRole ?? true,
      deployOptions: {
        ...extra,
        stageName: props.stageName ?? 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs would hold request bodies and IPs; the access log holds neither.
        loggingLevel: apigateway.MethodLoggingLevel.OFF,
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(accessLogFormat()),
        variables: { ...extra.variables, ...variables },
        // The stage's default for every method: the same ceiling (routes with tighter limits
        // set their own, e.g. the query API's read routes).
        throttlingRateLimit: methodThrottle.rateLimit,
        throttlingBurstLimit: methodThrottle.burstLimit,
        methodOptions: {
          ...extra.methodOptions,
          [`${EVENTS_PATH}/POST`]: {
            throttlingRateLimit: methodThrottle.rateLimit,
            throttlingBurstLimit: methodThrottle.burstLimit,
          },
        },
      },
    });

    this.integrationRole = new iam.Role(this, 'KinesisPutRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway to Kinesis PutRecords for POST /events',
    });
    props.eventsStream.grantWrite(this.integrationRole);

    this.authorizerFunction = bundledFunction(this, 'AuthorizerFunction', {
      memorySize: FUNCTION_TUNING.ingestAuthorizer.memoryMb,
      timeout: Duration.seconds(FUNCTION_TUNING.ingestAuthorizer.timeoutSeconds),
      entry: INGEST_AUTHORIZER_ENTRY,
      code: props.authorizerCode ?? { kind: 'bundle' },
      description: 'LiveInsight ingest-key authorizer of POST /events (registry table)',
      environment: { [ENV.registryTable]: props.registryTable.tableName },
      ...(props.accessLogRetention === undefined ? {} : { logRetention: props.accessLogRetention }),
    });
    // Exactly the one call the reader makes (handlers/adapters/dynamo-registry-reader.ts).
    props.registryTable.grant(this.authorizerFunction.function, 'dynamodb:BatchGetItem');
    this.authorizer = new apigateway.RequestAuthorizer(this, 'KeyAuthorizer', {
      handler: this.authorizerFunction.live.alias,
      // The cache key; a request without it is refused by API Gateway (UNAUTHORIZED) unseen.
      identitySources: [INGEST_KEY_IDENTITY_SOURCE],
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });

    const model = this.api.addModel('IngestRequestModel', {
      contentType: JSON_MEDIA_TYPE,
      modelName: 'IngestRequest',
      schema: ingestRequestModel() as apigateway.JsonSchema,
    });
    const validator = this.api.addRequestValidator('IngestValidator', {
      requestValidatorName: 'ingest-body-and-headers',
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const events = this.api.root.addResource(EVENTS_PATH.slice(1));
    const post = events.addMethod(
      'POST',
      new apigateway.AwsIntegration({
        service: 'kinesis',
        action: 'PutRecords',
        integrationHttpMethod: 'POST',
        options: {
          credentialsRole: this.integrationRole,
          passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
          requestParameters: {
            'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
          },
          // The same template for both: a text/plain body is the same JSON batch.
          requestTemplates: Object.fromEntries(
            REQUEST_MEDIA_TYPES.map((type) => [type, readTemplate('events-request')]),
          ),
          integrationResponses: EVENTS_INTEGRATION_RESPONSES.map(integrationResponse),
        },
      }),
      {
        apiKeyRequired: true,
        authorizer: this.authorizer,
        authorizationType: apigateway.AuthorizationType.CUSTOM,
        requestValidator: validator,
        // API Gateway validates a body only against the model of its media type (none: no
        // validation), so text/plain gets the same model as application/json.
        requestModels: Object.fromEntries(REQUEST_MEDIA_TYPES.map((type) => [type, model])),
        requestParameters: {
          'method.request.header.Content-Type': true,
          'method.request.header.Origin': false,
          'method.request.header.CloudFront-Viewer-Country': false,
        },
        methodResponses: methodResponses(EVENTS_METHOD_STATUSES, EVENTS_INTEGRATION_RESPONSES),
      },
    );
    const options = events.addMethod(
      'OPTIONS',
      new apigateway.MockIntegration({
        requestTemplates: { [JSON_MEDIA_TYPE]: readTemplate('preflight-request') },
        integrationResponses: PREFLIGHT_INTEGRATION_RESPONSES.map(integrationResponse),
      }),
      {
        apiKeyRequired: false,
        authorizationType: apigateway.AuthorizationType.NONE,
        requestParameters: { 'method.request.header.Origin': false },
        methodResponses: methodResponses(
          PREFLIGHT_INTEGRATION_RESPONSES.map((spec) => spec.statusCode),
          PREFLIGHT_INTEGRATION_RESPONSES,
        ),
      },
    );

    for (const type of GATEWAY_RESPONSE_TYPES) {
      const spec = GATEWAY_RESPONSES[type];
      const headers = gatewayResponseHeaders(spec);
      this.api.addGatewayResponse(`GatewayResponse${type}`, {
        type: apigateway.ResponseType.of(type),
        statusCode: String(spec.statusCode),
        responseHeaders: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [name, mappingExpression(value)]),
        ),
        templates: { [JSON_MEDIA_TYPE]: gatewayResponseTemplate(spec) },
      });
    }

    const plans: Partial<Record<TierName, apigateway.UsagePlan>> = {};
    for (const tier of TIER_NAMES) {
      const spec = tiers[tier];
      plans[tier] = this.api.addUsagePlan(`UsagePlan-${tier}`, {
        name: `${props.restApiName ?? 'liveinsight-ingest'}-${tier}`,
        description: spec.description,
        throttle: { rateLimit: spec.throttle.rateLimit, burstLimit: spec.throttle.burstLimit },
        quota: { limit: spec.quotaPerDay, period: apigateway.Period.DAY },
        apiStages: [
          {
            api: this.api,
            stage: this.api.deploymentStage,
            // Per key and per method: each key of the tier gets the tier's rate on POST /events
            // for itself (the stage ceiling is only a safety net above every tier).
            throttle: [
              {
                method: post,
                throttle: {
                  rateLimit: spec.throttle.rateLimit,
                  burstLimit: spec.throttle.burstLimit,
                },
              },
            ],
          },
        ],
      });
    }
    this.usagePlans = plans as Record<TierName, apigateway.UsagePlan>;

    if (props.webAclArn !== undefined) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    // Checks (cdk-nag AwsSolutions) this API fails by design; each reason is the decision.
    const publicIngest =
      'POST /events is called by browsers of any site: the ingest key with its usage plan and the key-to-site binding in the mapping template are the gate (API keys identify, they do not authenticate); reads need a real secret on the query API.';
    Validations.of(post).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason: publicIngest,
    });
    Validations.of(options).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'CORS preflights carry no credentials (Fetch standard); the MOCK integration answers headers only, from the site’s Origin allow-list.',
    });
    Validations.of(post).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason: publicIngest,
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'Serverless::Serverless-APIGWStructuredLogging',
      reason:
        'The access log is one JSON object per request (accessLogFormat); its errorMessage is $context.error.messageString, which API Gateway inserts already quoted, so the format string itself is not parseable JSON.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG6',
      reason:
        'Execution logging would write request bodies and source IPs (personal data) to CloudWatch; the JSON access log records every request without them.',
    });
    if (props.webAclArn === undefined) {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG3',
        reason:
          'No web ACL given (the stack leaves WAF out with context waf=false, a small profile’s saving of about $7 a month): the usage plans still throttle per key and per method under a stage ceiling, and WAF would see only the first 16 KB of a body.',
      });
    }
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for the account-level API Gateway logging role.',
      });
    }
  }
}
