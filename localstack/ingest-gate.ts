/**
 * The local product's say over what the edge acknowledges: while the pipeline cannot store (an
 * emulator is down or restarting) or while the product is stopping, POST /events answers 503,
 * retryable, before anything reaches the stream — so no event is acknowledged that the pipeline
 * could lose. It sits in the edge's Kinesis integration as the first middleware (the seam that
 * fault injection uses too) and answers as Kinesis' ServiceUnavailable would, so the edge's own
 * response templates render the refusal as API Gateway renders a failing integration
 * (`stream_unavailable`, `Retry-After`). It also counts the PutRecords calls in flight, so a
 * stop can wait for the ones that got past it before draining the stream.
 */
import type {
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
} from '@smithy/types';
import type { EndpointResponse, KinesisBackend, PutRecordsCall } from './edge/kinesis-backend';

const MIDDLEWARE_NAME = 'liveinsightIngestGate';

export class IngestGate {
  /** Why ingest is refused, by cause; admitted when empty. */
  private readonly refusals = new Map<string, string>();
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();
  /** Events the gate turned away (records of refused PutRecords calls). */
  refusedRecords = 0;

  constructor(private readonly backend: KinesisBackend) {
    backend.middlewareStack.add(
      (next: InitializeHandler<PutRecordsCall, EndpointResponse>) =>
        (args: InitializeHandlerArguments<PutRecordsCall>) =>
          this.pass(next, args),
      { step: 'initialize', name: MIDDLEWARE_NAME, priority: 'high' },
    );
  }

  /** Takes the gate out of the backend (one gate per backend at a time). */
  detach(): void {
    this.backend.middlewareStack.remove(MIDDLEWARE_NAME);
  }

  /** Refuse ingest for `cause` (e.g. `dynamodb-local`) until admit(cause); `reason` is shown. */
  refuse(cause: string, reason: string): void {
    this.refusals.set(cause, reason);
  }

  admit(cause: string): void {
    this.refusals.delete(cause);
  }

  /** Why ingest is refused now, or undefined when it is open. */
  refusal(): string | undefined {
    return this.refusals.size === 0 ? undefined : [...this.refusals.values()].join('; ');
  }

  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Resolves true once no PutRecords call is in flight, false at the deadline. */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    return new Promise<boolean>((resolve) => {
      const done = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = (): void => done(true);
      const timer = setTimeout(() => done(this.inFlight === 0), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  private async pass(
    next: InitializeHandler<PutRecordsCall, EndpointResponse>,
    args: InitializeHandlerArguments<PutRecordsCall>,
  ): Promise<InitializeHandlerOutput<EndpointResponse>> {
    const refusal = this.refusal();
    if (refusal !== undefined) {
      const records = args.input['Records'];
      this.refusedRecords += Array.isArray(records) ? records.length : 0;
      return {
        output: {
          status: 503,
          body: JSON.stringify({
            __type: 'ServiceUnavailable',
            message: `The local pipeline cannot take events now: ${refusal}`,
          }),
        },
        response: {},
      };
    }
    this.inFlight += 1;
    try {
      return await next(args);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idleWaiters.forEach((wake) => wake());
    }
  }
}
