/**
 * LiveInsight's stack. Minimal for now: the data resources from infra/resources.ts; the ingest
 * API, Lambdas, event-source mappings and dashboards add their constructs here, receiving the
 * tables, stream and buckets as objects (`this.data`).
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataResources, type DataResourcesProps } from './constructs/data-resources';

export interface LiveInsightStackProps extends StackProps, DataResourcesProps {}

export class LiveInsightStack extends Stack {
  readonly data: DataResources;

  constructor(scope: Construct, id: string, props: LiveInsightStackProps) {
    super(scope, id, props);
    this.data = new DataResources(this, 'Data', {
      stage: props.stage,
      ...(props.streamMode === undefined ? {} : { streamMode: props.streamMode }),
      ...(props.shardCount === undefined ? {} : { shardCount: props.shardCount }),
      ...(props.activeSessionShards === undefined
        ? {}
        : { activeSessionShards: props.activeSessionShards }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
