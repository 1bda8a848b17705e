/**
 * Starts an emulator on a port the OS had free a moment ago. Between picking the port and the
 * emulator binding it, another process (a parallel test run on the same machine) may take it:
 * then the emulator dies with a bind error, and we retry on a new port.
 */
import type { EmulatorDefinition } from './emulator-definition';
import { EmulatorStartError } from '../errors';
import { findFreePort } from './ports';
import { type RunningEmulator, startEmulator } from './start-emulator';

const PORT_TAKEN = /EADDRINUSE|Address already in use|BindException/i;
const PORT_ATTEMPTS = 3;

export async function startOnFreePort(
  factory: () => Promise<EmulatorDefinition>,
  readyTimeoutMs: number | undefined,
  log: (line: string) => void,
): Promise<RunningEmulator> {
  for (let attempt = 1; ; attempt += 1) {
    const definition = await factory();
    const port = await findFreePort();
    try {
      return await startEmulator(definition, {
        port,
        ...(readyTimeoutMs === undefined ? {} : { readyTimeoutMs }),
      });
    } catch (error) {
      const taken =
        error instanceof EmulatorStartError &&
        PORT_TAKEN.test(`${error.reason}\n${error.outputTail.join('\n')}`);
      if (!taken || attempt >= PORT_ATTEMPTS) throw error;
      log(`${definition.name}: port ${port} was taken meanwhile; retrying on another`);
    }
  }
}
