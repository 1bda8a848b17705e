/**
 * The faults that tests and benches inject into real SDK clients (DESIGN.md section 5: the
 * emulators never throttle, never return UnprocessedItems and never crash, so every fault path
 * is exercised by injecting the fault, never by mocking a table).
 */

/**
 * An error answer at the HTTP level, parsed by the client's real deserializer and retried by its
 * real retry strategy exactly as an AWS answer would be. JSON protocols only (DynamoDB, DynamoDB
 * Streams, Kinesis): the body is `{"__type", "message"}`.
 */
export interface ErrorAnswerFault {
  readonly kind: 'error-answer';
  readonly status: number;
  /** The AWS error code, e.g. `ProvisionedThroughputExceededException`. */
  readonly code: string;
  readonly message: string;
  /** More members of the error body, e.g. a transaction's `CancellationReasons`. */
  readonly members?: Readonly<Record<string, unknown>>;
}

/**
 * BatchWriteItem: the last `count` put/delete requests are withheld from DynamoDB and returned
 * in `UnprocessedItems`, so the store really lacks them until the caller retries.
 */
export interface UnprocessedItemsFault {
  readonly kind: 'unprocessed-items';
  readonly count: number;
}

/** The process dies before the call is sent: the call throws {@link InjectedCrash}. */
export interface CrashFault {
  readonly kind: 'crash';
}

/** The call is held for `ms` before it reaches the network (per attempt), then proceeds. */
export interface DelayFault {
  readonly kind: 'delay';
  readonly ms: number;
}

export type Fault = ErrorAnswerFault | UnprocessedItemsFault | CrashFault | DelayFault;

/**
 * Thrown by a crash fault. Deliberately not an AWS SDK error: the consumer must not treat it as a
 * failed write but let it escape the invocation, as a process crash would.
 */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
  constructor(
    readonly operation: string,
    readonly target: string | undefined,
  ) {
    super(`Injected crash before ${operation}${target === undefined ? '' : ` on ${target}`}`);
  }
}

const AWS_JSON_ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

/** DynamoDB's answer when a partition or the table is over its throughput. */
export function provisionedThroughputExceeded(): ErrorAnswerFault {
  return {
    kind: 'error-answer',
    status: 400,
    code: `${AWS_JSON_ERROR_NAMESPACE}#ProvisionedThroughputExceededException`,
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  };
}

/** DynamoDB's answer when on-demand throughput or an account limit throttles the request. */
export function throttlingException(): ErrorAnswerFault {
  return {
    kind: 'error-answer',
    status: 400,
    code: `${AWS_JSON_ERROR_NAMESPACE}#ThrottlingException`,
    message: 'Throughput exceeds the current capacity for one or more global secondary indexes.',
  };
}

/**
 * DynamoDB's answer to data it cannot hold (an item over 400 KB, a number out of range, an empty
 * attribute value…): not retryable. The emulator gives the same answer to such data; injected,
 * it reaches paths that our own checks keep real data away from.
 */
export function validationException(
  message = 'One or more parameter values were invalid: An AttributeValue may not contain an empty string',
): ErrorAnswerFault {
  return {
    kind: 'error-answer',
    status: 400,
    code: 'com.amazon.coral.validate#ValidationException',
    message,
  };
}

/** A 5xx: DynamoDB's InternalServerError (500) or ServiceUnavailable (503). */
export function serverError(status: 500 | 503 = 500): ErrorAnswerFault {
  return status === 500
    ? {
        kind: 'error-answer',
        status,
        code: `${AWS_JSON_ERROR_NAMESPACE}#InternalServerError`,
        message: 'Internal server error',
      }
    : {
        kind: 'error-answer',
        status,
        code: 'com.amazon.coral.availability#ServiceUnavailableException',
        message: 'Service unavailable',
      };
}

export function unprocessedItems(count: number): UnprocessedItemsFault {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`unprocessedItems count is ${count} (expected an integer >= 1)`);
  }
  return { kind: 'unprocessed-items', count };
}

/**
 * DynamoDB's answer to a TransactWriteItems that it cancelled: one reason per action, in the
 * order of the request's items (`None` for an action that was fine).
 */
export function transactionCanceled(reasons: readonly string[]): ErrorAnswerFault {
  return {
    kind: 'error-answer',
    status: 400,
    code: `${AWS_JSON_ERROR_NAMESPACE}#TransactionCanceledException`,
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
    members: { CancellationReasons: reasons.map((code) => ({ Code: code })) },
  };
}

export function crash(): CrashFault {
  return { kind: 'crash' };
}

export function delay(ms: number): DelayFault {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`delay is ${ms} ms (expected a finite number >= 0)`);
  }
  return { kind: 'delay', ms };
}
