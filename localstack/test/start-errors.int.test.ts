/**
 * Start-up faults give one clear error: a missing Java names Java and how to fix it, a port in
 * use names the port and its purpose, and an emulator that dies names itself and shows its last
 * output. Faults are injected (a Java command that does not exist, a port held by a server).
 */
import { type Server, createServer } from 'node:net';
import { kinesalite } from '../emulators/kinesalite';
import { dynamoDbLocal } from '../emulators/dynamodb-local';
import { EmulatorStartError, MissingRuntimeError, PortInUseError } from '../errors';
import { startLocalStack } from '../local-stack';
import { findFreePort } from '../supervisor/ports';
import { startEmulator } from '../supervisor/start-emulator';
import { startOnFreePort } from '../supervisor/start-on-free-port';
import { runStartCli } from '../testing/cli-process';
import { describeWithEmulators } from '../testing/use-test-stack';

const MISSING_JAVA = 'liveinsight-test-no-such-java';

async function holdPort(): Promise<{ server: Server; port: number }> {
  const port = await findFreePort();
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createServer().listen(port, '127.0.0.1');
    socket.once('listening', () => socket.close(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describeWithEmulators()('start-up errors', () => {
  it('names a missing Java and the way to fix it', async () => {
    const error = await startEmulator(dynamoDbLocal({ javaCommand: MISSING_JAVA }), {
      port: await findFreePort(),
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MissingRuntimeError);
    expect((error as Error).message).toBe(
      `Emulator dynamodb-local needs Java 17+, which was not found (looked for "${MISSING_JAVA}" ` +
        'on PATH); install a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`) or set ' +
        'LIVEINSIGHT_JAVA to its path',
    );
  });

  it('stops the emulators that did start when another one cannot', async () => {
    // Arrange
    const ready: number[] = [];
    // Act
    const error = await startLocalStack({
      port: 0,
      javaCommand: MISSING_JAVA,
      log: (line) => {
        const port = /ready on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
        if (port !== undefined) ready.push(Number(port));
      },
    }).catch((caught: unknown) => caught);
    // Assert: the error, and nothing left listening where the others ran.
    expect(error).toBeInstanceOf(MissingRuntimeError);
    for (const port of ready) expect(await refusesConnections(port)).toBe(true);
  });

  it('names the endpoint port in use before starting any emulator', async () => {
    const { server, port } = await holdPort();
    try {
      const started = Date.now();
      const error = await startLocalStack({ port }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `Port ${port} (local AWS endpoint) is already in use on 127.0.0.1; stop what holds it ` +
          'or choose another port (see localstack/README.md for the variables)',
      );
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await close(server);
    }
  });

  it('names an emulator that dies on a taken port and shows its last output', async () => {
    const { server, port } = await holdPort();
    try {
      const error = await startEmulator(kinesalite(), { port, readyTimeoutMs: 20_000 }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(EmulatorStartError);
      const startError = error as EmulatorStartError;
      expect(startError.emulator).toBe('kinesalite');
      expect(startError.message).toMatch(
        /^Emulator kinesalite failed to start: exited before answering/,
      );
      expect(startError.outputTail.join('\n')).toContain('EADDRINUSE');
    } finally {
      await close(server);
    }
  });

  it('retries on a new port when its free port was taken before the emulator bound it', async () => {
    // Arrange: the first attempt is steered onto a held port (the race, injected).
    const { server, port: taken } = await holdPort();
    const lines: string[] = [];
    let attempts = 0;
    const factory = async () => {
      attempts += 1;
      const definition = kinesalite();
      if (attempts > 1) return definition;
      return { ...definition, processSpec: () => definition.processSpec(taken) };
    };
    try {
      // Act
      const emulator = await startOnFreePort(factory, 20_000, (line) => lines.push(line));
      await emulator.process.stop();
      // Assert
      expect(attempts).toBe(2);
      expect(emulator.port).not.toBe(taken);
      expect(lines).toEqual([expect.stringMatching(/^kinesalite: port \d+ was taken meanwhile/)]);
    } finally {
      await close(server);
    }
  });

  it('npm start prints one line naming the port in use and exits 1', async () => {
    const { server, port } = await holdPort();
    try {
      const cli = runStartCli({ LIVEINSIGHT_AWS_PORT: String(port) });
      const exit = await cli.exited;
      expect(exit.code).toBe(1);
      expect(cli.output()).toContain(
        `npm start failed: Port ${port} (local AWS endpoint) is already in use on 127.0.0.1`,
      );
    } finally {
      await close(server);
    }
  });

  it('npm start prints one line naming the missing Java and exits 1', async () => {
    const cli = runStartCli({ LIVEINSIGHT_AWS_PORT: '0', LIVEINSIGHT_JAVA: MISSING_JAVA });
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(cli.output()).toContain(
      'npm start failed: Emulator dynamodb-local needs Java 17+, which was not found',
    );
  });
});
