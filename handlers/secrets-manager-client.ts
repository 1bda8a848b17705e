/**
 * The Secrets Manager client, apart from aws-clients.ts: only the consumer reads a secret, and
 * the other handlers' bundles need not carry this SDK client.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsConfig } from './config';

export function createSecretsManagerClient(aws: AwsConfig): SecretsManagerClient {
  return new SecretsManagerClient({
    region: aws.region,
    // One read per execution environment and cache period: the default retries suffice.
    ...(aws.endpoint === undefined ? {} : { endpoint: aws.endpoint }),
  });
}
