/**
 * What every Lambda fed by a DynamoDB stream (the processor, the rollup) shares: its call
 * signature with ReportBatchItemFailures, and the error for an invocation that is not a stream
 * event at all. One Lambda's folder never imports another's (DESIGN.md section 2).
 */
import type { DynamoDBBatchResponse } from 'aws-lambda';

/** The part of Lambda's context a stream function uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export type StreamBatchHandler = (
  event: unknown,
  context?: InvocationContext,
) => Promise<DynamoDBBatchResponse>;

/** The invocation itself is not a DynamoDB stream event: a wiring error, not bad data. */
export class InvalidInvocationError extends Error {
  override readonly name = 'InvalidInvocationError';
}
