/**
 * jest globalSetup of the `integration` project: starts the local AWS ONCE per jest run and
 * hands its endpoints to the test workers (env LIVEINSIGHT_TEST_STACK, read by useTestStack).
 * With the emulators both Kinesis engines run, each behind its own endpoint, so Kinesis tests
 * can run against both (see testKinesisEngines). Ports are free ones, so a running `npm start`
 * on 4566 does not get in the way.
 */
import { enterRunScratchDir } from '../../test/run-scratch-dir';
import { readLocalConfig, writeTestStackDescriptor } from '../local-config';
import { KINESIS_ENGINES } from '../kinesis-engine';
import { startLocalStack } from '../local-stack';
import { startLocalStackContainer } from '../localstack-container';
import { type TestBackend, setTestBackend } from './test-backend';

export default async function globalSetup(): Promise<void> {
  // Before anything makes a temporary folder: the emulators' S3 data lands in the run's scratch.
  enterRunScratchDir();
  const config = readLocalConfig();
  const began = Date.now();
  let backend: TestBackend;
  if (config.mode === 'localstack') {
    const container = await startLocalStackContainer();
    writeTestStackDescriptor({
      mode: 'localstack',
      region: container.region,
      endpoints: { 'kinesis-mock': container.endpoint },
      defaultEngine: 'kinesis-mock',
    });
    backend = { stop: () => container.stop() };
  } else {
    const engines = [
      config.kinesisEngine,
      ...KINESIS_ENGINES.filter((engine) => engine !== config.kinesisEngine),
    ];
    const stack = await startLocalStack({
      port: 0,
      kinesisEngines: engines,
      ...(config.javaCommand === undefined ? {} : { javaCommand: config.javaCommand }),
      // Tests sweep explicitly (TestStack.sweepTtl) so expired-but-present items stay put.
      ttl: { intervalMs: 'manual', lagSeconds: 0 },
    });
    writeTestStackDescriptor({
      mode: 'emulators',
      region: stack.region,
      endpoints: stack.endpoints,
      defaultEngine: config.kinesisEngine,
      dynamodbLocal: stack.emulators.find((emulator) => emulator.service === 'dynamodb')?.endpoint,
    });
    backend = { stop: () => stack.stop() };
  }
  setTestBackend(backend);
  process.stdout.write(
    `\nlocal AWS for integration tests (${config.mode}) up in ${Date.now() - began} ms\n`,
  );
}
