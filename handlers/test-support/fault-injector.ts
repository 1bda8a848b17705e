/**
 * Fault injection as SDK middleware on a real client. Two middlewares:
 *
 * - `initialize` (outside the retry loop, once per `send`): crashes and UnprocessedItems;
 * - `deserialize`, priority low (inside the retry loop, once per attempt, between the real
 *   deserializer and the network): error answers and delays. An injected error answer is parsed
 *   by the client's own deserializer and retried by its own retry strategy, as an AWS answer is.
 *
 * Rules match an operation (`PutItem`) and optionally a target (a DynamoDB table name or Kinesis
 * stream name found in the input). Each rule lets `after` matching calls pass, then injects its
 * fault `times` times. Every injection is logged so that a test can assert the fault happened.
 */
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
  MiddlewareStack,
} from '@smithy/types';
import { match } from 'ts-pattern';
import { type Fault, InjectedCrash } from './faults';

export interface FaultRule {
  /** SDK operation name without `Command`, e.g. `BatchWriteItem`. */
  readonly operation: string;
  /** Table or stream name; any target when undefined. */
  readonly target?: string;
  /** Further narrows the calls, by their input (e.g. one item's key). */
  readonly match?: (input: Readonly<Record<string, unknown>>) => boolean;
  readonly fault: Fault;
  /** Matching calls (or attempts, for per-attempt faults) to let through first. Default 0. */
  readonly after?: number;
  /** How many times to inject; default 1; `Infinity` for every matching call. */
  readonly times?: number;
}

export interface Injection {
  readonly operation: string;
  readonly target: string | undefined;
  readonly fault: Fault['kind'];
}

/** Any AWS SDK v3 client (DynamoDB, Kinesis, S3, ...). */
export interface InstrumentableClient {
  readonly middlewareStack: object;
}

/**
 * The stack methods used here. Each client's stack is typed with its own input and output
 * unions, to which generic middleware is not assignable (function parameters are
 * contravariant); the middleware here treats inputs and outputs as opaque objects, so one view
 * serves every client.
 */
interface GenericStack {
  add(middleware: unknown, options: object): void;
  removeByTag(tag: string): boolean;
}

export function stackOf(client: InstrumentableClient): GenericStack {
  return client.middlewareStack as MiddlewareStack<object, object> as GenericStack;
}

export interface FaultInjector {
  /** Adds a rule; rules are consulted in the order added, first match wins. */
  add(rule: FaultRule): void;
  /** Removes every rule (installed middleware stays, inert). */
  clear(): void;
  /** What was injected so far, in order. */
  readonly injections: readonly Injection[];
  /** Removes the middleware from every client it was installed on. */
  uninstall(): void;
}

const TAG = 'LIVEINSIGHT_FAULT_INJECTOR';

/** Target names a call addresses: `TableName`, `StreamName`, or the tables of a batch. */
export function targetsOf(input: unknown): readonly string[] {
  if (typeof input !== 'object' || input === null) return [];
  const record = input as Record<string, unknown>;
  const names: string[] = [];
  for (const field of ['TableName', 'StreamName']) {
    const value = record[field];
    if (typeof value === 'string') names.push(value);
  }
  const requestItems = record['RequestItems'];
  if (typeof requestItems === 'object' && requestItems !== null) {
    names.push(...Object.keys(requestItems));
  }
  return names;
}

function asRecord(input: unknown): Readonly<Record<string, unknown>> {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

/** A `match` for single-item calls (PutItem, UpdateItem, ...) on the item with this `pk`. */
export function itemWithPk(pk: string): (input: Readonly<Record<string, unknown>>) => boolean {
  return (input) => {
    const item = (input['Item'] ?? input['Key']) as { pk?: { S?: string } } | undefined;
    return item?.pk?.S === pk;
  };
}

interface ActiveRule {
  readonly rule: FaultRule;
  seen: number;
  injected: number;
}

const PER_ATTEMPT: ReadonlySet<Fault['kind']> = new Set(['error-answer', 'delay']);

export function installFaultInjector(clients: readonly InstrumentableClient[]): FaultInjector {
  const rules: ActiveRule[] = [];
  const injections: Injection[] = [];
  /** The command input of an invocation, for the deserialize step (which sees only HTTP). */
  const inputs = new WeakMap<HandlerExecutionContext, unknown>();

  /** Returns the fault to inject on this call (or attempt), counting it against its rule. */
  function take(
    context: HandlerExecutionContext,
    input: unknown,
    perAttempt: boolean,
  ): { fault: Fault; target: string | undefined } | undefined {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    const targets = targetsOf(input);
    for (const active of rules) {
      const { rule } = active;
      if (PER_ATTEMPT.has(rule.fault.kind) !== perAttempt) continue;
      if (rule.operation !== operation) continue;
      if (rule.target !== undefined && !targets.includes(rule.target)) continue;
      if (rule.match !== undefined && !rule.match(asRecord(input))) continue;
      active.seen += 1;
      if (active.seen <= (rule.after ?? 0)) continue;
      if (active.injected >= (rule.times ?? 1)) continue;
      active.injected += 1;
      const target = rule.target ?? targets[0];
      injections.push({ operation, target, fault: rule.fault.kind });
      return { fault: rule.fault, target };
    }
    return undefined;
  }

  const onInitialize =
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      inputs.set(context, args.input);
      const chosen = take(context, args.input, false);
      if (chosen === undefined) return next(args);
      return match(chosen.fault)
        .with({ kind: 'crash' }, () => {
          throw new InjectedCrash(context.commandName ?? 'unknown', chosen.target);
        })
        .with({ kind: 'unprocessed-items' }, (fault) =>
          withholdBatchItems(next, args, fault.count, context),
        )
        .with({ kind: 'error-answer' }, { kind: 'delay' }, () => next(args))
        .exhaustive();
    };

  const onDeserialize =
    (next: DeserializeHandler<object, object>, context: HandlerExecutionContext) =>
    async (
      args: DeserializeHandlerArguments<object>,
    ): Promise<DeserializeHandlerOutput<object>> => {
      const chosen = take(context, inputs.get(context), true);
      if (chosen === undefined) return next(args);
      return match(chosen.fault)
        .with({ kind: 'error-answer' }, (fault) => Promise.resolve(errorAnswer(fault)))
        .with({ kind: 'delay' }, async (fault) => {
          // Unref'd: an abandoned slow call must not keep a test process alive.
          await new Promise((resolve) => setTimeout(resolve, fault.ms).unref());
          return next(args);
        })
        .with({ kind: 'crash' }, { kind: 'unprocessed-items' }, () => next(args))
        .exhaustive();
    };

  for (const client of clients) {
    stackOf(client).add(onInitialize, {
      step: 'initialize',
      priority: 'high',
      name: 'liveinsightFaultInitialize',
      tags: [TAG],
      override: true,
    });
    stackOf(client).add(onDeserialize, {
      step: 'deserialize',
      priority: 'low',
      name: 'liveinsightFaultDeserialize',
      tags: [TAG],
      override: true,
    });
  }

  return {
    add(rule) {
      const times = rule.times ?? 1;
      if (!(times >= 1)) throw new RangeError(`FaultRule.times is ${times} (expected >= 1)`);
      rules.push({ rule, seen: 0, injected: 0 });
    },
    clear() {
      rules.length = 0;
    },
    injections,
    uninstall() {
      for (const client of clients) stackOf(client).removeByTag(TAG);
    },
  };
}

/** A minimal HTTP response that the SDK's deserializer and retry strategy accept as real. */
function errorAnswer(fault: Extract<Fault, { kind: 'error-answer' }>) {
  const body = JSON.stringify({ ...fault.members, __type: fault.code, message: fault.message });
  return {
    response: {
      statusCode: fault.status,
      reason: undefined,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `injected-${Math.random().toString(36).slice(2)}`,
      },
      body: new TextEncoder().encode(body),
    },
    output: undefined as unknown as object,
  };
}

type WriteRequests = Record<string, readonly unknown[]>;

function isWriteRequests(value: unknown): value is WriteRequests {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((requests) => Array.isArray(requests))
  );
}

/**
 * Sends the batch without its last `count` requests and reports those in `UnprocessedItems`,
 * as DynamoDB does when a partition is hot (DynamoDB Local never does).
 */
async function withholdBatchItems(
  next: InitializeHandler<object, object>,
  args: InitializeHandlerArguments<object>,
  count: number,
  context: HandlerExecutionContext,
): Promise<InitializeHandlerOutput<object>> {
  const input = args.input as Record<string, unknown>;
  const requestItems = input['RequestItems'];
  if (!isWriteRequests(requestItems)) {
    throw new TypeError(
      `unprocessed-items fault on ${String(context.commandName)}: expected a BatchWriteItem input with RequestItems, received ${JSON.stringify(Object.keys(input))}`,
    );
  }
  const flat = Object.entries(requestItems).flatMap(([table, requests]) =>
    requests.map((request) => ({ table, request })),
  );
  const withheldCount = Math.min(count, flat.length);
  const sent = flat.slice(0, flat.length - withheldCount);
  const withheld = flat.slice(flat.length - withheldCount);
  const group = (entries: typeof flat): Record<string, unknown[]> => {
    const grouped: Record<string, unknown[]> = {};
    for (const { table, request } of entries) (grouped[table] ??= []).push(request);
    return grouped;
  };
  if (sent.length === 0) {
    // DynamoDB processed nothing: no request reaches the table at all.
    return {
      response: { statusCode: 200, headers: {}, body: new Uint8Array() },
      output: { UnprocessedItems: group(withheld), $metadata: { httpStatusCode: 200 } },
    };
  }
  const result = await next({ ...args, input: { ...input, RequestItems: group(sent) } });
  const output = result.output as Record<string, unknown>;
  const already = output['UnprocessedItems'];
  const merged = group([
    ...(isWriteRequests(already)
      ? Object.entries(already).flatMap(([table, requests]) =>
          requests.map((request) => ({ table, request })),
        )
      : []),
    ...withheld,
  ]);
  return { ...result, output: { ...output, UnprocessedItems: merged } };
}
