/**
 * s3rver (npm): S3 on the file system, run through s3rver-main.ts. It checks SigV4 signatures,
 * which works through our router because the router forwards the Host header unchanged.
 */
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../handlers/aws-clients';
import type { EmulatorDefinition } from '../supervisor/emulator-definition';

const MAIN = require.resolve('./s3rver-main.ts');
const TSX_CJS = require.resolve('tsx/cjs');

export interface S3rverOptions {
  /** Directory holding buckets and objects. */
  readonly directory: string;
}

export function s3rver(options: S3rverOptions): EmulatorDefinition {
  return {
    name: 's3rver',
    service: 's3',
    description: `s3rver (S3, objects in ${options.directory})`,
    keepsData: true,
    processSpec: (port) => ({
      name: 's3rver',
      command: process.execPath,
      // s3rver encrypts every truncated listing's continuation token with DES, which Node 20's
      // OpenSSL 3 has only in its legacy provider: without it, any listing of more keys than
      // MaxKeys (1,000 at most) answers "internal error".
      args: [
        '--openssl-legacy-provider',
        '--require',
        TSX_CJS,
        MAIN,
        String(port),
        options.directory,
      ],
      cwd: options.directory,
    }),
    async probe(endpoint) {
      const clients = createAwsClients({ endpoint, region: 'us-east-1' }, { maxAttempts: 1 });
      try {
        await clients.s3.send(new ListBucketsCommand({}));
      } finally {
        clients.destroy();
      }
    },
  };
}
