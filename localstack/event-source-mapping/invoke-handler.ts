// Runs the handler in-process the way Lambda would call it: a Lambda-like context, and a
// function timeout after which the invocation counts as failed even though the promise (which
// cannot be killed in-process) may still settle later — its answer is then ignored.
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { InvocationResult } from './handler-response';
import type { ResponseContext } from './ports';

export type StreamHandler<E> = (event: E, context: Context) => Promise<unknown>;

export interface FunctionIdentity {
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryLimitInMB: number;
  readonly timeoutMs: number;
  readonly region: string;
}

export interface InvocationReport {
  readonly requestId: string;
  readonly result: InvocationResult;
  /** What Lambda records about the invocation in an on-failure record. */
  readonly responseContext: ResponseContext;
  readonly durationMs: number;
}

export async function invokeHandler<E>(
  handler: StreamHandler<E>,
  event: E,
  fn: FunctionIdentity,
): Promise<InvocationReport> {
  const requestId = randomUUID();
  const startedAt = Date.now();
  const deadline = startedAt + fn.timeoutMs;
  const context = lambdaContext(fn, requestId, deadline);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<InvocationResult>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out', timeoutMs: fn.timeoutMs }), fn.timeoutMs);
  });
  const settled = (async (): Promise<InvocationResult> => {
    try {
      return { kind: 'returned', value: await handler(event, context) };
    } catch (error) {
      return { kind: 'threw', error };
    }
  })();
  try {
    const result = await Promise.race([settled, timedOut]);
    return {
      requestId,
      result,
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        // Lambda reports thrown errors and timeouts alike as an unhandled function error.
        ...(result.kind === 'returned' ? {} : { functionError: 'Unhandled' }),
      },
      durationMs: Date.now() - startedAt,
    };
  } finally {
    clearTimeout(timer);
  }
}

function lambdaContext(fn: FunctionIdentity, requestId: string, deadline: number): Context {
  const callbackStyle = (): never => {
    throw new Error(
      `${fn.functionName}: callback-style completion (done/succeed/fail) is not supported by the local event-source mapping; expected the handler to return a promise`,
    );
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.functionArn,
    memoryLimitInMB: String(fn.memoryLimitInMB),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: callbackStyle,
    fail: callbackStyle,
    succeed: callbackStyle,
  };
}
