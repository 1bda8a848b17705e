/**
 * An AWS WAF web ACL (REGIONAL: API Gateway stages take regional web ACLs, edge-optimized APIs
 * included) for the REST API: AWS's managed common rule set and a per-IP rate-based rule.
 * IngestApi associates it with the stage (prop `webAclArn`).
 *
 * Two rules of the common set would refuse what the ingest contract allows, so they only count:
 * SizeRestrictions_BODY blocks bodies over 8 KB (a batch may be 1 MB) and NoUserAgent_HEADER
 * blocks server-side senders without a User-Agent (sites may send from servers). WAF sees only
 * the first 16 KB of a body on API Gateway, so the size limit stays the request template's.
 *
 * Cost: $5 a month per web ACL + $1 per rule (2 here) + $0.60 per million requests.
 */
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Rules of AWSManagedRulesCommonRuleSet that count instead of block (see above). */
export const COUNTED_COMMON_RULES = ['SizeRestrictions_BODY', 'NoUserAgent_HEADER'] as const;

export interface ApiFirewallProps {
  /** Prefix of the web ACL's name and metric names, e.g. the stage. */
  readonly name: string;
  /** Requests one IP may send in 5 minutes before it is blocked. */
  readonly rateLimitPer5Minutes: number;
}

export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const limit = props.rateLimitPer5Minutes;
    if (!Number.isInteger(limit) || limit < 100) {
      throw new RangeError(
        `rateLimitPer5Minutes is ${limit} (expected an integer of at least 100, WAF's minimum)`,
      );
    }
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.name}-${metricName}`,
      sampledRequestsEnabled: true,
    });
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: `${props.name}-api`,
      description: 'LiveInsight API: AWS common rules and a per-IP rate limit',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('api'),
      rules: [
        {
          name: 'PerIpRateLimit',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-limit'),
        },
        {
          name: 'AwsCommonRules',
          priority: 1,
          overrideAction: { none: {} },
          statement: {
            managedRuleGroupStatement: {
              vendorName: 'AWS',
              name: 'AWSManagedRulesCommonRuleSet',
              ruleActionOverrides: COUNTED_COMMON_RULES.map((name) => ({
                name,
                actionToUse: { count: {} },
              })),
            },
          },
          visibilityConfig: visibility('common-rules'),
        },
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
  }
}
