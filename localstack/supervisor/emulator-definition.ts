/**
 * What the supervisor needs to know about one emulator: how to start it on a port and which
 * real API call proves it is ready.
 */
import type { ProcessSpec } from './guarded-process';

/** The AWS services our one endpoint routes to. DynamoDB Streams is served by DynamoDB Local. */
export type EmulatedService = 'dynamodb' | 'kinesis' | 's3';

export interface EmulatorDefinition {
  readonly name: string;
  readonly service: EmulatedService;
  /** Human-readable description for `npm start` output. */
  readonly description: string;
  /**
   * Whether its data survives a restart of its process (kept on disk). The supervisor restarts
   * an emulator that dies only then: a restarted in-memory one would come back empty.
   */
  readonly keepsData: boolean;
  processSpec(port: number): ProcessSpec;
  /** Resolves once one real API call succeeded against `endpoint`; rejects otherwise. */
  probe(endpoint: string): Promise<void>;
}
