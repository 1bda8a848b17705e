/** The contract of LiveInsight (DESIGN.md section 3a): one source of truth for types and validation. */
export * from './limits';
export * from './ingest';
export * from './edge-record';
export * from './enriched-event';
export * from './bad-row';
export * from './items';
export * from './validator';
export * from './draft04';
