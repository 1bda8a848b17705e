/**
 * What an on-call engineer needs of one stage, in one construct so the stack wires it in one
 * place: the alarms and their SNS topic (ops-alarms.ts), the operations dashboard
 * (ops-dashboard.ts) and the monthly cost budget (cost-budget.ts).
 */
import { Aws, CfnOutput } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CostBudget } from './cost-budget';
import { OpsAlarms, type OpsAlarmsProps } from './ops-alarms';
import { OpsDashboard, type OpsFunctionKey } from './ops-dashboard';

/** The alarms' inputs (one definition, ops-alarms.ts), plus what the dashboard and budget need. */
export interface StageOperationsProps extends Omit<OpsAlarmsProps, 'functions'> {
  /** The alarms watch the stream functions among these; the dashboard shows them all. */
  readonly functions: Readonly<Record<OpsFunctionKey, lambda.IFunction>>;
  /** @default no e-mail: alarms reach the topic, the budget notifies nobody */
  readonly alarmEmail?: string;
  readonly monthlyBudgetUsd: number;
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
