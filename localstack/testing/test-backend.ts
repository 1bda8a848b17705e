/**
 * Hand-over from globalSetup to globalTeardown (same process, separate module registries, so a
 * global symbol rather than a module variable).
 */
export interface TestBackend {
  stop(): Promise<void>;
}

const KEY = Symbol.for('liveinsight.test-backend');
type Holder = { [KEY]?: TestBackend };

export function setTestBackend(backend: TestBackend): void {
  (globalThis as Holder)[KEY] = backend;
}

export function takeTestBackend(): TestBackend | undefined {
  const holder = globalThis as Holder;
  const backend = holder[KEY];
  delete holder[KEY];
  return backend;
}
