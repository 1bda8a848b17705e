/**
 * What an on-call engineer needs of one stage, in one construct so the stack wires it in one
 * place: the alarms and their SNS topic (ops-alarms.ts), the operations dashboard
 * (ops-dashboard.ts) and the monthly cost budget (cost-budget.ts).
 */
import { Aws, CfnOutput } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { TableKey } from '../resources';
import { CostBudget } from './cost-budget';
import { OpsAlarms } from './ops-alarms';
import { OpsDashboard, type OpsFunctionKey } from './ops-dashboard';

export interface StageOperationsProps {
  readonly stage: string;
  readonly metricsNamespace: string;
  readonly api: apigateway.RestApi;
  readonly accessLogs: logs.ILogGroup;
  readonly functions: Readonly<Record<OpsFunctionKey, lambda.IFunction>>;
  readonly consumerLogs: logs.ILogGroup;
  readonly eventsStream: kinesis.IStream;
  readonly tables: Readonly<Record<TableKey, dynamodb.ITable>>;
  readonly failureBucket: s3.IBucket;
  /** @default no e-mail: alarms reach the topic, the budget notifies nobody */
  readonly alarmEmail?: string;
  readonly monthlyBudgetUsd: number;
  /** @default '' (repository-relative runbook links) */
  readonly runbookBaseUrl?: string;
}

/** A link that opens a CloudWatch dashboard of this stack's region in the console. */
export function dashboardConsoleUrl(dashboardName: string): string {
  return `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${dashboardName}`;
}

export class StageOperations extends Construct {
  readonly alarms: OpsAlarms;
  readonly dashboard: OpsDashboard;
  readonly budget: CostBudget;

  constructor(scope: Construct, id: string, props: StageOperationsProps) {
    super(scope, id);
    this.alarms = new OpsAlarms(this, 'Alarms', {
      stage: props.stage,
      metricsNamespace: props.metricsNamespace,
      api: props.api,
      accessLogs: props.accessLogs,
      functions: {
        consumer: props.functions.consumer,
        processor: props.functions.processor,
        rollup: props.functions.rollup,
      },
      consumerLogs: props.consumerLogs,
      eventsStream: props.eventsStream,
      tables: props.tables,
      failureBucket: props.failureBucket,
      ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
      ...(props.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: props.runbookBaseUrl }),
    });
    const dashboardName = `${props.stage}-operations`;
    this.dashboard = new OpsDashboard(this, 'Dashboard', {
      dashboardName,
      api: props.api,
      functions: props.functions,
      eventsStream: props.eventsStream,
      tables: props.tables,
      alarms: this.alarms,
      metricsNamespace: props.metricsNamespace,
    });
    this.budget = new CostBudget(this, 'Budget', {
      budgetName: `${props.stage}-monthly`,
      monthlyLimitUsd: props.monthlyBudgetUsd,
      ...(props.alarmEmail === undefined ? {} : { email: props.alarmEmail }),
    });
    new CfnOutput(this, 'OpsDashboardUrl', {
      description: 'The operations dashboard (alarms, API, Lambdas, Kinesis, DynamoDB, failures)',
      value: dashboardConsoleUrl(dashboardName),
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic every alarm notifies (subscribe more endpoints here)',
      value: this.alarms.topic.topicArn,
    });
  }
}
