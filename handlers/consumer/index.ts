/**
 * Lambda entry point of the consumer (Kinesis `events` → Events, Sessions, ActiveSessions, bad
 * rows). Configuration is read and validated once at start-up — a missing variable fails the
 * init phase naming it — and the SDK clients are created once per process.
 */
import { visitorSaltSecretSource } from '../adapters/visitor-salt-secret';
import { createAwsClients } from '../aws-clients';
import { readConsumerConfig } from '../config';
import { createSecretsManagerClient } from '../secrets-manager-client';
import { createConsumer } from './handler';

const config = readConsumerConfig();

export const handler = createConsumer(config, createAwsClients(config.aws), {
  // On AWS the salt key is read from Secrets Manager at runtime and cached (never in the env).
  saltSecret: visitorSaltSecretSource(config.visitorSalt, () =>
    createSecretsManagerClient(config.aws),
  ),
}).handler;
