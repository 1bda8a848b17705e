// Moved to handlers/dynamodb-stream/parse-stream-record.ts (shared by the processor and the rollup). This
// re-export stays only until handlers/rollup imports the new home (CONTRACT.md, STRUCTURE).
export * from '../dynamodb-stream/parse-stream-record';
