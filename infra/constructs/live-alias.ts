/**
 * The alias `live` of one function, on its current version, with a CodeDeploy deployment group
 * that shifts traffic to a new version as a canary (10 % for 5 minutes) and rolls back when an
 * alarm of the group fires (the alias' own errors alarm here; the ops alarms are added with
 * {@link LiveAlias.addRollbackAlarm}). Event-source mappings and API integrations target the
 * alias, never `$LATEST`, so a deploy reaches traffic only through CodeDeploy.
 *
 * Mappings keep the logical ids they had when they targeted the function: a new logical id
 * would make CloudFormation create a second mapping that reads the stream again from
 * TRIM_HORIZON (a replay) while deleting the old one.
 */
import { Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, type IConstruct } from 'constructs';
import { alarmDescription } from './ops-alarms';

export const LIVE_ALIAS_NAME = 'live';

/** CodeDeploy's canary: 10 % of invocations to the new version for 5 minutes, then all. */
export const CANARY_DEPLOYMENT_CONFIG = codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;

export interface LiveAliasProps {
  readonly function: lambda.Function;
  /**
   * How a new version takes traffic.
   * @default CANARY_DEPLOYMENT_CONFIG (10 % for 5 minutes)
   */
  readonly deploymentConfig?: codedeploy.ILambdaDeploymentConfig;
}

/** The CodeDeploy application all deployment groups of a stack share (one per stack). */
function deploymentApplication(scope: IConstruct): codedeploy.LambdaApplication {
  const stack = Stack.of(scope);
  const id = 'LiveDeployments';
  const found = stack.node.tryFindChild(id);
  if (found instanceof codedeploy.LambdaApplication) return found;
  return new codedeploy.LambdaApplication(stack, id, {
    applicationName: `${stack.stackName}-live`,
  });
}

/**
 * The logical id CloudFormation gives a resource at `path` below `scope`'s stack: the same
 * algorithm as Stack.getLogicalId (Names.uniqueId of a tree mirroring the path).
 */
function logicalIdAt(scope: IConstruct, path: readonly string[]): string {
  const stack = Stack.of(scope);
  const scopes = scope.node.scopes;
  const below = scopes.slice(scopes.indexOf(stack) + 1).map((s) => s.node.id);
  let node = new Construct(undefined as unknown as Construct, '');
  for (const id of [...below, ...path]) node = new Construct(node, id);
  return Names.uniqueId(node);
}

export class LiveAlias extends Construct {
  readonly alias: lambda.Alias;
  readonly deploymentGroup: codedeploy.LambdaDeploymentGroup;
  /** Any error of the alias in a minute: the canary's own rollback signal. */
  readonly errorsAlarm: cloudwatch.Alarm;
  private readonly fn: lambda.Function;

  constructor(scope: Construct, id: string, props: LiveAliasProps) {
    super(scope, id);
    this.fn = props.function;
    this.alias = new lambda.Alias(this, 'Alias', {
      aliasName: LIVE_ALIAS_NAME,
      // Versions stay when replaced: CodeDeploy shifts between the old and the new one, and a
      // rollback by hand points the alias back at an older one.
      version: props.function.currentVersion,
    });
    this.errorsAlarm = new cloudwatch.Alarm(this, 'ErrorsAlarm', {
      alarmDescription: alarmDescription(
        `${props.function.node.path}: errors of the ${LIVE_ALIAS_NAME} alias (rolls back a canary deploy)`,
        'canary-alias-errors',
      ),
      metric: this.alias.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deploymentGroup = new codedeploy.LambdaDeploymentGroup(this, 'Deployment', {
      application: deploymentApplication(this),
      alias: this.alias,
      deploymentConfig: props.deploymentConfig ?? CANARY_DEPLOYMENT_CONFIG,
      alarms: [this.errorsAlarm],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    const role = this.deploymentGroup.node.tryFindChild('ServiceRole');
    if (role !== undefined) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
        reason:
          'AWSCodeDeployRoleForLambdaLimited is the policy AWS documents for CodeDeploy Lambda deployments: it may update aliases and invoke hooks only of functions named in the deployment group.',
      });
    }
  }

  /** Makes CodeDeploy roll back a deployment of this function while `alarm` is in ALARM. */
  addRollbackAlarm(alarm: cloudwatch.IAlarm): void {
    this.deploymentGroup.addAlarm(alarm);
  }

  /**
   * Binds a stream event source to the alias, keeping the logical id its mapping has when it
   * is bound to the function itself (the id it was first deployed with).
   */
  addEventSource(source: lambda.IEventSource): void {
    const before = new Set(this.alias.node.children);
    this.alias.addEventSource(source);
    for (const child of this.alias.node.children) {
      if (before.has(child) || !(child instanceof lambda.EventSourceMapping)) continue;
      const cfn = child.node.defaultChild as lambda.CfnEventSourceMapping;
      cfn.overrideLogicalId(logicalIdAt(this.fn, [child.node.id, 'Resource']));
    }
  }
}
