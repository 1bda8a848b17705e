/**
 * Metric groups → CloudWatch Embedded Metric Format documents, rendered by aws-embedded-metrics.
 *
 * The library is given an environment of our own instead of detecting one: detection reads
 * process.env and would add its default dimensions (LogGroup, ServiceName, ServiceType), each of
 * which multiplies the metrics CloudWatch stores. Every group sets its dimensions explicitly —
 * `[Site]` and `[]` for site metrics, `[]` for the processor's own — with defaults off.
 * The documents are collected rather than printed, so a batch is written once, by the caller.
 */
// Deep imports: the package's index loads its environment detector (EC2/ECS metadata probes),
// which this processor never uses and which keeps jest's event loop alive.
import { MetricsLogger } from 'aws-embedded-metrics/lib/logger/MetricsLogger';
import type { IEnvironment } from 'aws-embedded-metrics/lib/environment/IEnvironment';
import type { MetricsContext } from 'aws-embedded-metrics/lib/logger/MetricsContext';
import { LogSerializer } from 'aws-embedded-metrics/lib/serializers/LogSerializer';
import type { ISink } from 'aws-embedded-metrics/lib/sinks/Sink';
import { match } from 'ts-pattern';
import { MINUTE_MS } from '../../pipeline/metrics/activity-minutes';
import { SITE_DIMENSION, unitOf } from '../../schemas/business-metrics';
import type { MetricGroup } from '../../pipeline/metrics/metric-groups';

class CollectingSink implements ISink {
  readonly name = 'LiveInsightCollectingSink';
  readonly documents: string[] = [];
  private readonly serializer = new LogSerializer();

  accept(context: MetricsContext): Promise<void> {
    // The serializer splits a context into documents of ≤ 100 metrics each.
    this.documents.push(...this.serializer.serialize(context));
    return Promise.resolve();
  }
}

class CollectingEnvironment implements IEnvironment {
  constructor(readonly sink: CollectingSink) {}
  probe(): Promise<boolean> {
    return Promise.resolve(true);
  }
  getName(): string {
    return 'LiveInsightProcessor';
  }
  getType(): string {
    return 'AWS::Lambda::Function';
  }
  getLogGroupName(): string {
    return '';
  }
  configureContext(): void {
    // Nothing: no environment properties in the documents (they would only add bytes).
  }
  getSink(): ISink {
    return this.sink;
  }
}

/**
 * One or more EMF documents (JSON text) per group, in the groups' order. Throws what the library
 * throws for values CloudWatch would refuse (e.g. a timestamp outside −14 d … +2 h of now).
 */
export async function renderEmfDocuments(
  groups: readonly MetricGroup[],
  namespace: string,
): Promise<string[]> {
  const sink = new CollectingSink();
  const environment = new CollectingEnvironment(sink);
  for (const group of groups) {
    const logger = new MetricsLogger(() => Promise.resolve(environment));
    logger.setNamespace(namespace);
    logger.setTimestamp(group.minute * MINUTE_MS);
    const dimensionSets = match(group)
      .returnType<Record<string, string>[]>()
      .with({ scope: 'site' }, (g): Record<string, string>[] => [
        { [SITE_DIMENSION]: g.siteId },
        {},
      ])
      .with({ scope: 'processor' }, (): Record<string, string>[] => [{}])
      .exhaustive();
    logger.setDimensions(dimensionSets, false);
    for (const [name, value] of group.values) {
      logger.putMetric(name, value, unitOf(name));
    }
    await logger.flush();
  }
  return sink.documents;
}
