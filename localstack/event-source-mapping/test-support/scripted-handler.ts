// A handler driven by a script, recording every invocation it receives (sequence numbers,
// partition keys, the event itself) so spec tests can assert on what Lambda would have sent.
import type { Context, KinesisStreamEvent } from 'aws-lambda';

export interface Invocation {
  readonly index: number;
  readonly event: KinesisStreamEvent;
  readonly sequenceNumbers: string[];
  readonly partitionKeys: string[];
  readonly data: string[];
  readonly context: Context;
  readonly remainingAtStartMs: number;
}

export type Script = (invocation: Invocation) => unknown;

export function scriptedHandler(script: Script = () => undefined) {
  const invocations: Invocation[] = [];
  const handler = async (event: KinesisStreamEvent, context: Context): Promise<unknown> => {
    const invocation: Invocation = {
      index: invocations.length,
      event,
      sequenceNumbers: event.Records.map((r) => r.kinesis.sequenceNumber),
      partitionKeys: event.Records.map((r) => r.kinesis.partitionKey),
      data: event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString()),
      context,
      remainingAtStartMs: context.getRemainingTimeInMillis(),
    };
    invocations.push(invocation);
    return script(invocation);
  };
  return { handler, invocations };
}
