/** Port helpers: pick a free port for an internal emulator, or check a configured one first. */
import { createServer } from 'node:net';
import { PortInUseError } from '../errors';

function listenOnce(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/** A port the OS had free a moment ago (the emulator binds it right after). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return listenOnce(0, host);
}

/**
 * Fails with PortInUseError naming the port and its purpose, instead of letting an emulator
 * die later with an opaque bind error in its own log format.
 */
export async function assertPortFree(port: number, purpose: string, host = '127.0.0.1') {
  try {
    await listenOnce(port, host);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PortInUseError(port, purpose, { cause });
    }
    throw cause;
  }
}

/** Uses the configured port after checking it is free, or picks a free one. */
export async function resolvePort(configured: number | undefined, purpose: string) {
  if (configured === undefined) return findFreePort();
  await assertPortFree(configured, purpose);
  return configured;
}
