/**
 * The local stand-in for CloudWatch metrics: tails the JSON-lines file the processor writes its
 * EMF documents to, validates each document against the EMF specification, and keeps per-minute
 * aggregates that `npm start` prints and the local dashboard can read.
 */
import { epochMinute } from '../../pipeline/metrics/activity-minutes';
import { METRICS_NAMESPACE, type MetricName } from '../../schemas/business-metrics';
import { parseEmfLine } from './emf-document';
import { JsonLinesTail } from './json-lines-tail';
import { MinuteAggregates, type MinuteStatistics } from './minute-aggregates';
import { summarize, type MetricsSummary } from './summary';

export interface LocalMetricsSinkOptions {
  /** The JSON-lines file the processor appends EMF documents to. */
  readonly file: string;
  /** Namespace of the business metrics (default `LiveInsight`). */
  readonly namespace?: string;
  /** Minutes of history kept in memory (default 180). */
  readonly retainMinutes?: number;
  /** Wall clock (epoch ms) for summaries and pruning (default Date.now). */
  readonly clock?: () => number;
}

export interface InvalidDocument {
  readonly line: string;
  readonly problems: readonly string[];
}

export interface SinkStats {
  readonly documents: number;
  readonly invalidDocuments: number;
  /** The last few invalid documents with their problems (at most 10). */
  readonly recentInvalid: readonly InvalidDocument[];
  readonly lastError: Error | undefined;
}

export interface PollResult {
  readonly documents: number;
  readonly invalid: number;
}

const RECENT_INVALID = 10;

export class LocalMetricsSink {
  readonly aggregates = new MinuteAggregates();
  readonly namespace: string;
  private readonly tail: JsonLinesTail;
  private readonly retainMinutes: number;
  private readonly clock: () => number;
  private documents = 0;
  private invalidDocuments = 0;
  private recentInvalid: InvalidDocument[] = [];
  private lastError: Error | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(options: LocalMetricsSinkOptions) {
    this.tail = new JsonLinesTail(options.file);
    this.namespace = options.namespace ?? METRICS_NAMESPACE;
    this.retainMinutes = options.retainMinutes ?? 180;
    this.clock = options.clock ?? Date.now;
  }

  get file(): string {
    return this.tail.path;
  }

  /** Reads what was appended since the last poll. */
  async poll(): Promise<PollResult> {
    const lines = await this.tail.readNewLines();
    let invalid = 0;
    for (const line of lines) {
      const parsed = parseEmfLine(line);
      if (parsed.ok) {
        this.aggregates.add(parsed.document);
        this.documents += 1;
      } else {
        invalid += 1;
        this.invalidDocuments += 1;
        this.recentInvalid = [
          ...this.recentInvalid.slice(-(RECENT_INVALID - 1)),
          { line: line.slice(0, 500), problems: parsed.problems },
        ];
      }
    }
    this.aggregates.pruneBefore(epochMinute(this.clock()) - this.retainMinutes);
    return { documents: lines.length - invalid, invalid };
  }

  /** Polls every `intervalMs` until `stop()`; a failed poll is kept in `stats().lastError`. */
  start(intervalMs = 500): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() =>
        this.poll().then(
          () => {
            this.lastError = undefined;
          },
          (error: unknown) => {
            this.lastError = error instanceof Error ? error : new Error(String(error));
          },
        ),
      );
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  stats(): SinkStats {
    return {
      documents: this.documents,
      invalidDocuments: this.invalidDocuments,
      recentInvalid: this.recentInvalid,
      lastError: this.lastError,
    };
  }

  /** Sum of a business metric for one site (or all sites) over minutes `from`…`to`. */
  sum(metric: MetricName, site: string | undefined, from: number, to: number = from): number {
    return this.aggregates.sum(
      { namespace: this.namespace, metric, dimensions: site === undefined ? {} : { Site: site } },
      from,
      to,
    );
  }

  /** Statistics of a business metric for one site (or all sites) in one minute. */
  statistics(
    metric: MetricName,
    site: string | undefined,
    minute: number,
  ): MinuteStatistics | undefined {
    return this.aggregates.statistics(
      { namespace: this.namespace, metric, dimensions: site === undefined ? {} : { Site: site } },
      minute,
    );
  }

  /** Every site seen so far. */
  sites(): string[] {
    return this.aggregates.dimensionValues('Site');
  }

  /** The figures `npm start` prints, per site and for all sites, at `nowMs`. */
  summary(nowMs: number = this.clock()): MetricsSummary {
    return summarize(this, nowMs);
  }
}
