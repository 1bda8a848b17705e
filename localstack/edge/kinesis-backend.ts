/**
 * The AWS service integration of POST /events, locally: sends the PutRecords request that the
 * mapping template rendered to Kinesis through the SDK, and hands back what API Gateway's
 * integration response stage would see — the HTTP status and JSON body of Kinesis' answer.
 * Like API Gateway, it does not retry (give it a client with maxAttempts 1).
 */
import {
  type KinesisClient,
  KinesisServiceException,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { Type } from '@sinclair/typebox';
import { formatIssues, parseWith } from '../../schemas/validator';

/** What the integration answered: API Gateway's "endpoint response". */
export interface EndpointResponse {
  readonly status: number;
  readonly body: string;
}

export type IntegrationOutcome =
  | { readonly kind: 'answered'; readonly response: EndpointResponse; readonly latencyMs: number }
  /** No answer: API Gateway's INTEGRATION_FAILURE / INTEGRATION_TIMEOUT gateway responses. */
  | {
      readonly kind: 'unreachable' | 'timeout';
      readonly error: unknown;
      readonly latencyMs: number;
    };

/** The PutRecords request as the template renders it (the wire format: Data is base64). */
const RenderedPutRecordsSchema = Type.Object(
  {
    StreamName: Type.String(),
    Records: Type.Array(
      Type.Object(
        {
          PartitionKey: Type.String(),
          Data: Type.String(),
          ExplicitHashKey: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** What Kinesis answers a request it cannot read (AWS JSON protocol). */
function serializationError(message: string): EndpointResponse {
  return {
    status: 400,
    body: JSON.stringify({ __type: 'SerializationException', message }),
  };
}

function answerOf(output: PutRecordsCommandOutput): EndpointResponse {
  const { $metadata, ...wire } = output;
  return { status: $metadata.httpStatusCode ?? 200, body: JSON.stringify(wire) };
}

function isTimeout(error: unknown): boolean {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT';
}

export async function sendRenderedPutRecords(
  client: KinesisClient,
  renderedBody: string,
  clock: () => number = Date.now,
): Promise<IntegrationOutcome> {
  const began = clock();
  const answered = (response: EndpointResponse): IntegrationOutcome => ({
    kind: 'answered',
    response,
    latencyMs: clock() - began,
  });

  let json: unknown;
  try {
    json = JSON.parse(renderedBody) as unknown;
  } catch {
    return answered(serializationError('Start of structure or map found where not expected.'));
  }
  const parsed = parseWith(RenderedPutRecordsSchema, json);
  if (!parsed.ok) return answered(serializationError(formatIssues(parsed.issues)));
  const badData = parsed.value.Records.findIndex((record) => !BASE64.test(record.Data));
  if (badData !== -1) {
    return answered(serializationError(`Records[${badData}].Data is not valid base64`));
  }

  try {
    const output = await client.send(
      new PutRecordsCommand({
        StreamName: parsed.value.StreamName,
        Records: parsed.value.Records.map((record) => ({
          PartitionKey: record.PartitionKey,
          Data: Buffer.from(record.Data, 'base64'),
          ...(record.ExplicitHashKey === undefined
            ? {}
            : { ExplicitHashKey: record.ExplicitHashKey }),
        })),
      }),
    );
    return answered(answerOf(output));
  } catch (error) {
    if (error instanceof KinesisServiceException && error.$metadata.httpStatusCode !== undefined) {
      return answered({
        status: error.$metadata.httpStatusCode,
        body: JSON.stringify({ __type: error.name, message: error.message }),
      });
    }
    return {
      kind: isTimeout(error) ? 'timeout' : 'unreachable',
      error,
      latencyMs: clock() - began,
    };
  }
}
