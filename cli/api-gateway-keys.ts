/**
 * The API Gateway side of an ingest key on a deployed stage. The ingest authorizer returns the
 * key as the usage identifier (API key source AUTHORIZER), and API Gateway then meters the
 * request against the API key with that value and the usage plan it is attached to: so every
 * registry key also exists as an enabled API Gateway key holding the same value, attached to its
 * tier's usage plan, and is disabled there when it is revoked.
 *
 * - CreateApiKey (value given, enabled): https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
 * - CreateUsagePlanKey (keyType API_KEY): https://docs.aws.amazon.com/apigateway/latest/api/API_CreateUsagePlanKey.html
 * - UpdateApiKey (replace /enabled false): https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateApiKey.html
 * - DeleteUsagePlanKey (a tier change): https://docs.aws.amazon.com/apigateway/latest/api/API_DeleteUsagePlanKey.html
 *
 * Locally there is no API Gateway: the edge meters by the registry key itself.
 */
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanKeyCommand,
  NotFoundException,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway';
import type { TierName } from '../schemas/registry';
import { CliTargetError, explainAwsError } from './errors';
import type { StageOutputs } from './target';

export interface CreatedApiKey {
  readonly id: string;
  readonly usagePlanId: string;
}

export interface ApiGatewayKeys {
  /** Creates the enabled API key with `value` and attaches it to the tier's usage plan. */
  create(value: string, name: string, tier: TierName): Promise<CreatedApiKey>;
  /**
   * Moves the key from one tier's usage plan to another's: removed from the old plan first (API
   * Gateway refuses a key on two plans of the same stage), then added to the new one. Idempotent:
   * a key no longer on the old plan or already on the new one is fine, so a run cut short can be
   * repeated.
   */
  move(id: string, from: TierName, to: TierName): Promise<void>;
  /** Disables the key; false when API Gateway no longer has it. */
  disable(id: string): Promise<boolean>;
  /** Removes a key created by a step that then failed (best effort, never throws). */
  discard(id: string): Promise<void>;
  destroy(): void;
}

/** The SDK's error with what was being done, in the CLI's words when explainAwsError has some. */
function explained(error: unknown, what: string): Error {
  const explainedError = explainAwsError(error, what);
  if (explainedError !== error) return explainedError;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new CliTargetError(`${what}: ${message}`, { cause: error });
}

export function apiGatewayKeys(stage: StageOutputs): ApiGatewayKeys {
  const client = new APIGatewayClient({ region: stage.region, maxAttempts: 4 });
  return {
    async create(value, name, tier) {
      // Read before any change: a stage without the outputs fails here, having created nothing.
      const usagePlanId = stage.usagePlanId(tier);
      let id: string | undefined;
      try {
        const created = await client.send(
          new CreateApiKeyCommand({
            name,
            value,
            enabled: true,
            description: `LiveInsight ingest key of ${name} (admin CLI)`,
          }),
        );
        id = created.id;
        if (id === undefined) throw new Error('CreateApiKey answered without an id');
        await client.send(
          new CreateUsagePlanKeyCommand({ usagePlanId, keyId: id, keyType: 'API_KEY' }),
        );
        return { id, usagePlanId };
      } catch (error) {
        if (id !== undefined) await this.discard(id);
        throw explained(
          error,
          `stage ${stage.name}: creating the API Gateway key ${name} on usage plan ${usagePlanId} (${tier})`,
        );
      }
    },

    async move(id, from, to) {
      const fromPlan = stage.usagePlanId(from);
      const toPlan = stage.usagePlanId(to);
      try {
        try {
          await client.send(new DeleteUsagePlanKeyCommand({ usagePlanId: fromPlan, keyId: id }));
        } catch (error) {
          if (!(error instanceof NotFoundException)) throw error;
        }
        try {
          await client.send(
            new CreateUsagePlanKeyCommand({ usagePlanId: toPlan, keyId: id, keyType: 'API_KEY' }),
          );
        } catch (error) {
          if (!(error instanceof ConflictException)) throw error;
        }
      } catch (error) {
        throw explained(
          error,
          `stage ${stage.name}: moving API Gateway key ${id} from usage plan ${fromPlan} (${from}) to ${toPlan} (${to})`,
        );
      }
    },

    async disable(id) {
      try {
        await client.send(
          new UpdateApiKeyCommand({
            apiKey: id,
            patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }],
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof NotFoundException) return false;
        throw explained(error, `stage ${stage.name}: disabling API Gateway key ${id}`);
      }
    },

    async discard(id) {
      try {
        await client.send(new DeleteApiKeyCommand({ apiKey: id }));
      } catch {
        // The caller reports the original failure; a leftover key has no usage plan and no
        // registry item, so it admits nothing.
      }
    },

    destroy() {
      client.destroy();
    },
  };
}
