/**
 * The local metrics sink: the processor writes EMF documents as JSON lines
 * (LIVEINSIGHT_METRICS_FILE); this reads them and keeps per-minute aggregates.
 *
 * ```ts
 * const sink = new LocalMetricsSink({ file: '.liveinsight/metrics.jsonl' });
 * sink.start(500);                                  // tail the file every 500 ms
 * console.log(formatSummary(sink.summary()));       // what npm start prints (./summary)
 * sink.sum('PageViews', 'my-site', minute);         // one metric, one site, one epoch minute
 * await sink.stop();
 * ```
 *
 * `startLocalProcessor` (./local-processor) runs the processor on the local event-source mapping
 * with this sink, as one part of `npm start`; it is kept out of this index so that reading
 * metrics does not load the handlers.
 */
export { LocalMetricsSink } from './metrics-sink';
