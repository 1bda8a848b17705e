/** jest globalTeardown of the `integration` project: stops what globalSetup started. */
import { takeTestBackend } from './test-backend';

export default async function globalTeardown(): Promise<void> {
  await takeTestBackend()?.stop();
}
