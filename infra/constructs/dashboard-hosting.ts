/**
 * The live dashboard on AWS: the static files of dashboard/ in a private bucket, served by
 * CloudFront over HTTPS only (origin access control; the bucket stays private) with a security
 * headers policy, plus a `config.json` that tells the page where the query API is.
 *
 * The same distribution serves the browser tracker at `/tracker/<version>/li.js`: the version
 * is the content's hash, so the object never changes and is cached for a year (`immutable`);
 * older versions stay in the bucket (their deployment never prunes, and the dashboard's excludes
 * `tracker/*`), so a page pinned to an SRI hash keeps loading. CORS on that path lets a page
 * load it with `integrity` + `crossorigin="anonymous"`. The stack outputs `TrackerScriptUrl`
 * and `TrackerIntegrity` feed `sites add`'s script tag.
 */
import { join } from 'node:path';
import { CfnOutput, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { DASHBOARD_HSTS_SECONDS, dashboardContentSecurityPolicy } from '../api/dashboard-spec';
import { nagArnOf } from './nag-arn';
import { buildOne, manifestOf } from '../../tracker/build/build-tracker';

/** Key prefix (and CloudFront path) of the tracker's versioned files. */
export const TRACKER_KEY_PREFIX = 'tracker/';
/** A year: the versioned file never changes. */
export const TRACKER_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface DashboardHostingProps {
  /** Private bucket for the files (DataResources' `dashboard` bucket). */
  readonly bucket: s3.IBucket;
  /**
   * The stage's REST API with the query routes: its `url` goes into config.json, and its origin
   * (`https://<id>.execute-api.<region>.<suffix>`) is the only one besides the page's own that
   * the Content-Security-Policy lets the page call — so no link can make the page send a read
   * token to another API.
   * @default - no config.json and `connect-src 'self'`: the page calls its own origin only
   */
  readonly api?: apigateway.RestApiBase;
  /**
   * Directory with the static files.
   * @default the repository's dashboard/ folder
   */
  readonly sourceDirectory?: string;
  /**
   * Your own domain names and their certificate (ACM, us-east-1). With them viewers must speak
   * TLS 1.2 or later; the default *.cloudfront.net certificate lets CloudFront pick TLSv1.
   * @default - the distribution's *.cloudfront.net name
   */
  readonly domain?: { readonly names: readonly string[]; readonly certificate: acm.ICertificate };
  /**
   * A WAFv2 web ACL (CLOUDFRONT scope, ARN) for the distribution.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
}

export const DASHBOARD_DIRECTORY = join(__dirname, '..', '..', 'dashboard');

/** `https://<rest api id>.execute-api.<region>.<url suffix>`: the API's default endpoint origin. */
export function restApiOrigin(api: apigateway.IRestApi): string {
  const stack = Stack.of(api);
  return `https://${api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
}

export class DashboardHosting extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the query API allows by CORS. */
  readonly origin: string;
  /** `https://<distribution domain>/tracker/<version>/li.js`. */
  readonly trackerScriptUrl: string;
  /** The tracker file's SRI hash (`sha384-…`). */
  readonly trackerIntegrity: string;

  constructor(scope: Construct, id: string, props: DashboardHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'LiveInsight dashboard: CSP, HSTS, nosniff, no framing, no referrer',
      // X-XSS-Protection is left out: browsers dropped the filter and the CSP does its job.
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API's origin needs only the RestApi resource's id, not its stage, so naming it
          // makes no cycle with the query API's CORS, which names this distribution.
          contentSecurityPolicy: dashboardContentSecurityPolicy(
            props.api === undefined ? "'self'" : `'self' ${restApiOrigin(props.api)}`,
          ),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(DASHBOARD_HSTS_SECONDS),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER,
          override: true,
        },
      },
    });

    const bucketOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.bucket);
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'LiveInsight live dashboard',
      ...(props.domain === undefined
        ? {}
        : { domainNames: [...props.domain.names], certificate: props.domain.certificate }),
      ...(props.webAclArn === undefined ? {} : { webAclId: props.webAclArn }),
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: bucketOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    // The tracker: built at synth (esbuild, like the Lambda bundles), one immutable object per version.
    const tracker = buildOne('default');
    const manifest = manifestOf(tracker);
    const trackerKey = `${TRACKER_KEY_PREFIX}${manifest.version}/${manifest.file}`;
    this.distribution.addBehavior(`/${TRACKER_KEY_PREFIX}*`, bucketOrigin, {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      // Any site may load the script, with SRI (crossorigin="anonymous" needs CORS).
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS,
      compress: true,
    });
    new s3deploy.BucketDeployment(this, 'Tracker', {
      destinationBucket: props.bucket,
      sources: [s3deploy.Source.data(trackerKey, tracker.code)],
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: [s3deploy.CacheControl.fromString(TRACKER_CACHE_CONTROL)],
      // Earlier versions stay: pages pinned to their SRI hash keep working.
      prune: false,
    });
    this.trackerScriptUrl = `${this.origin}/${trackerKey}`;
    this.trackerIntegrity = manifest.integrity;
    // Output names fixed (no construct-path suffix): the admin CLI reads them (CONTRACT.md).
    new CfnOutput(this, 'TrackerScriptUrl', {
      description: "The browser tracker's versioned URL (long-cached; a new build gets a new path)",
      value: this.trackerScriptUrl,
    }).overrideLogicalId('TrackerScriptUrl');
    new CfnOutput(this, 'TrackerIntegrity', {
      description: "The tracker file's Subresource Integrity hash for the script tag",
      value: this.trackerIntegrity,
    }).overrideLogicalId('TrackerIntegrity');

    new s3deploy.BucketDeployment(this, 'Files', {
      destinationBucket: props.bucket,
      sources: [
        s3deploy.Source.asset(props.sourceDirectory ?? DASHBOARD_DIRECTORY),
        ...(props.api === undefined
          ? []
          : [s3deploy.Source.jsonData('config.json', { apiUrl: props.api.url })]),
      ],
      // A new version is visible at once rather than after the edge caches expire.
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      // The tracker's versioned files are another deployment's and must outlive this prune.
      exclude: [`${TRACKER_KEY_PREFIX}*`],
    });

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const distribution = this.distribution.node.defaultChild ?? this.distribution;
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR3',
      reason:
        'CloudFront access logs would hold viewer IPs (personal data in the EU) for a static page; every data read is logged by the API instead.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR1',
      reason:
        'The dashboard is for site owners anywhere; its data is behind the read token, not the geography.',
    });
    if (props.domain === undefined) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions::AwsSolutions-CFR4',
        reason:
          'With the default *.cloudfront.net certificate CloudFront sets the minimum protocol itself; pass `domain` (names + ACM certificate) for TLSv1.2_2021.',
      });
    }
    if (props.webAclArn === undefined) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions::AwsSolutions-CFR2',
        reason:
          'WAF is optional (prop webAclArn): the page is static and its data needs a read token.',
      });
    }
    // BucketDeployment's handler is a CDK-provided singleton at stack level; cdk-nag names each
    // of its wildcards, so each is acknowledged by name.
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const findings = [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map(
        (action) => `AwsSolutions-IAM5[Action::${action}]`,
      ),
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
      `AwsSolutions-IAM5[Resource::${nagArnOf(props.bucket)}/*]`,
      // cloudfront:CreateInvalidation, which IAM grants on * only for this use.
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
    ];
    for (const child of stack.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      for (const finding of findings) {
        Validations.of(child).acknowledge({
          id: `AwsSolutions::${finding}`,
          reason:
            'CDK’s own BucketDeployment handler, which copies the files at deploy time: its role, its wildcards within the asset and destination buckets and its runtime are CDK’s.',
        });
      }
    }
  }
}
