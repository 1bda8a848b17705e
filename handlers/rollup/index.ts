/**
 * Lambda entry point of the rollup function (ActiveSessions stream → the per-minute counters
 * that answer GET /realtime). Configuration is read and validated once at start-up — a missing
 * variable fails the init phase naming it — and the SDK client is created once per process.
 */
import { createAwsClients } from '../aws-clients';
import { readRollupConfig } from '../config';
import { createRollup } from './handler';

const config = readRollupConfig();

export const handler = createRollup(config, createAwsClients(config.aws));
