/**
 * The live dashboard on AWS: the static files of dashboard/ in a private bucket, served by
 * CloudFront over HTTPS only (origin access control; the bucket stays private) with a security
 * headers policy, plus a `config.json` that tells the page where the query API is.
 */
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { DASHBOARD_HSTS_SECONDS, dashboardContentSecurityPolicy } from '../api/dashboard-spec';

export interface DashboardHostingProps {
  /** Private bucket for the files (DataResources' `dashboard` bucket). */
  readonly bucket: s3.IBucket;
  /**
   * Base URL of the query API written to config.json, e.g. the RestApi's `url`.
   * @default - no config.json: the page then calls its own origin
   */
  readonly apiUrl?: string;
  /**
   * Directory with the static files.
   * @default the repository's dashboard/ folder
   */
  readonly sourceDirectory?: string;
}

export const DASHBOARD_DIRECTORY = join(__dirname, '..', '..', 'dashboard');

export class DashboardHosting extends Construct {
  readonly distribution: cloudfront.Distribution;
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** `https://<distribution domain>`: the origin the query API allows by CORS. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: DashboardHostingProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'LiveInsight dashboard: CSP, HSTS, nosniff, no framing, no referrer',
      // X-XSS-Protection is left out: browsers dropped the filter and the CSP does its job.
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API's own host would make a cycle (the API's CORS names this distribution), so
          // the page may call any API Gateway API of this region.
          contentSecurityPolicy: dashboardContentSecurityPolicy(
            `'self' https://*.execute-api.${stack.region}.${stack.urlSuffix}`,
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

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'LiveInsight live dashboard',
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(props.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;

    new s3deploy.BucketDeployment(this, 'Files', {
      destinationBucket: props.bucket,
      sources: [
        s3deploy.Source.asset(props.sourceDirectory ?? DASHBOARD_DIRECTORY),
        ...(props.apiUrl === undefined
          ? []
          : [s3deploy.Source.jsonData('config.json', { apiUrl: props.apiUrl })]),
      ],
      // A new version is visible at once rather than after the edge caches expire.
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
    });
  }
}
