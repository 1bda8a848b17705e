/**
 * One SDK client per service per process (DESIGN.md section 7). Every client speaks HTTP/1.1
 * with keep-alive through NodeHttpHandler: the Kinesis client's default HTTP/2 handler is refused
 * by kinesalite ("Protocol error"), and HTTP/1.1 works against AWS too.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConfig } from './config';

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly dynamodbStreams: DynamoDBStreamsClient;
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  /** Closes the clients' sockets so a process (or a test) can exit promptly. */
  destroy(): void;
}

export interface ClientOptions {
  /** Upper bound on sockets per client; p-limit callers should stay below it. */
  readonly maxSockets?: number;
  /** Retries of the SDK's standard retry strategy (default 3 attempts). */
  readonly maxAttempts?: number;
  /** How long one attempt may wait for an answer before it fails (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** A call that has not been answered in 10 s has failed: the SDK retries it, then the caller. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Static credentials for local emulators: they accept any key, but the SDK requires one. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export function createAwsClients(aws: AwsConfig, options: ClientOptions = {}): AwsClients {
  const maxSockets = options.maxSockets ?? 50;
  const requestHandler = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    connectionTimeout: 3_000,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Without it this handler version only logs a warning at the request timeout and keeps
    // waiting: a service that accepts the connection and never answers (a frozen emulator, a
    // stalled socket) would hold the call until the Lambda's own timeout.
    throwOnRequestTimeout: true,
  });
  const shared = {
    region: aws.region,
    requestHandler,
    maxAttempts: options.maxAttempts ?? 3,
    ...(aws.endpoint === undefined
      ? {}
      : { endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS }),
  };
  const dynamodb = new DynamoDBClient(shared);
  const dynamodbStreams = new DynamoDBStreamsClient(shared);
  const kinesis = new KinesisClient(shared);
  // Path-style addressing: local S3 emulators don't resolve virtual-hosted bucket names.
  const s3 = new S3Client({ ...shared, forcePathStyle: aws.endpoint !== undefined });
  return {
    dynamodb,
    dynamodbStreams,
    kinesis,
    s3,
    destroy() {
      dynamodb.destroy();
      dynamodbStreams.destroy();
      kinesis.destroy();
      s3.destroy();
      requestHandler.destroy();
    },
  };
}
