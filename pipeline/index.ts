/**
 * The pure consumer pipeline: decode → enrich → coalesce → session aggregate → items. No AWS
 * SDK, no I/O, no environment: the clock and the visitor salt come in through ports.
 * (pipeline/realtime and pipeline/metrics are the query and processor sides.)
 */
export * from './errors';
export * from './ports';
export * from './kinesis-record';
export * from './outcomes';
export * from './bad-rows';
export * from './base64';
export * from './fast-accept';
export * from './decode';
export * from './enrich';
export * from './page-url';
export * from './traffic-source';
export * from './user-agent';
export * from './visitor-id';
export * from './event-traits';
export * from './applied-seqs';
export * from './session-aggregate';
export * from './bounce';
export * from './apply-events';
export * from './coalesce';
export * from './items';
export * from './session-update';
export * from './process-batch';
export * from './bounded-cache';
export * from './utc-day';
export * from './stable-hash';
