/**
 * Lambda entry point of the processor (Sessions and ActiveSessions streams → EMF business
 * metrics). Configuration is read and validated once at start-up — a missing variable fails the
 * init phase naming it — and the SDK clients are created once per process.
 */
import { createAwsClients } from '../aws-clients';
import { readProcessorConfig } from '../config';
import { createProcessor } from './handler';

const config = readProcessorConfig();

export const handler = createProcessor(config, createAwsClients(config.aws));
