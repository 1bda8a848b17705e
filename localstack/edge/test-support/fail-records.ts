/**
 * Fault injection for PutRecords' partial failure (DESIGN.md invariant 5), as middleware on the
 * edge's real Kinesis integration: the chosen records never reach the stream and come back in
 * the answer with an ErrorCode, as Kinesis reports records it refused; the others are really
 * written. The emulators never fail a record on their own.
 */
import type {
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
} from '@smithy/types';
import { Type } from '@sinclair/typebox';
import { stackOf } from '../../../handlers/faults/fault-injector';
import { parseWith } from '../../../schemas/validator';
import type { EndpointResponse, KinesisBackend, PutRecordsCall } from '../kinesis-backend';

const TAG = 'LIVEINSIGHT_FAIL_RECORDS';

/** A record of the rendered request (Data is base64 text, as on the wire). */
export type RenderedRecord = Readonly<Record<string, unknown>>;

const AnswerSchema = Type.Object({
  FailedRecordCount: Type.Integer(),
  Records: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});

export interface FailRecords {
  /** Indexes of the records refused so far, per PutRecords call. */
  readonly refused: readonly (readonly number[])[];
  uninstall(): void;
}

export function failRecords(
  backend: KinesisBackend,
  choose: (record: RenderedRecord, index: number) => boolean,
  errorCode = 'ProvisionedThroughputExceededException',
): FailRecords {
  const refused: number[][] = [];
  const middleware =
    (next: InitializeHandler<PutRecordsCall, EndpointResponse>) =>
    async (
      args: InitializeHandlerArguments<PutRecordsCall>,
    ): Promise<InitializeHandlerOutput<EndpointResponse>> => {
      const records = Array.isArray(args.input['Records'])
        ? (args.input['Records'] as RenderedRecord[])
        : [];
      const failing = records.flatMap((record, index) => (choose(record, index) ? [index] : []));
      if (failing.length === 0) return next(args);
      refused.push(failing);
      const sent = records.filter((_, index) => !failing.includes(index));
      // A new input object: the backend serializes it instead of the rendered text.
      const result =
        sent.length === 0
          ? { output: { status: 200, body: '{"FailedRecordCount":0,"Records":[]}' }, response: {} }
          : await next({ ...args, input: { ...args.input, Records: sent } });
      if (result.output.status !== 200) return result;
      const answer = parseWith(AnswerSchema, JSON.parse(result.output.body));
      if (!answer.ok) throw new Error(`not a PutRecords answer: ${result.output.body}`);
      const written = [...answer.value.Records];
      const merged = records.map(
        (_, index) =>
          (failing.includes(index)
            ? {
                ErrorCode: errorCode,
                ErrorMessage: `Rate exceeded for shard (injected, record ${index})`,
              }
            : written.shift()) ?? {},
      );
      return {
        ...result,
        output: {
          status: 200,
          body: JSON.stringify({
            ...answer.value,
            Records: merged,
            FailedRecordCount: answer.value.FailedRecordCount + failing.length,
          }),
        },
      };
    };
  stackOf(backend).add(middleware, {
    step: 'initialize',
    priority: 'high',
    name: 'liveinsightFailRecords',
    tags: [TAG],
    override: true,
  });
  return { refused, uninstall: () => stackOf(backend).removeByTag(TAG) };
}
