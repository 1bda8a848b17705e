// jest reads `testTimeout` only from the root config, not from a project, so the integration
// project's 60 s budget (emulator calls, child processes) is applied here for every test file.
jest.setTimeout(60_000);
