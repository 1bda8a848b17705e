/**
 * Entry point of the s3rver child process. s3rver knows one key pair (S3RVER/S3RVER); we add
 * `test`/`test`, the credentials LocalStack documents and our local clients use, and keep
 * s3rver's SigV4 verification on — it also proves the router forwards requests untouched.
 *
 * Usage: s3rver-main.ts <port> <directory>
 */
import S3rver from 's3rver';
import AWSAccount from 's3rver/lib/models/account';

const [portArg, directory] = process.argv.slice(2);
const port = Number(portArg);
if (!Number.isInteger(port) || directory === undefined) {
  process.stderr.write(
    `s3rver-main: expected "<port> <directory>", received ${JSON.stringify(process.argv.slice(2))}\n`,
  );
  process.exit(2);
}

AWSAccount.DUMMY_ACCOUNT.createKeyPair('test', 'test');

const server = new S3rver({
  address: '127.0.0.1',
  port,
  directory,
  silent: true,
  // LocalStack-style virtual hosts (<bucket>.s3.localhost.localstack.cloud) resolve too.
  serviceEndpoint: 'localhost.localstack.cloud',
});

server.run().then(
  ({ port: bound }) => process.stdout.write(`s3rver listening on 127.0.0.1:${bound}\n`),
  (error: unknown) => {
    process.stderr.write(`s3rver failed: ${String(error)}\n`);
    process.exit(1);
  },
);

const shutdown = (): void => {
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
