/** Errors of the local AWS stack: each names the emulator, what happened and what was expected. */

export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
  constructor(
    readonly emulator: string,
    readonly reason: string,
    readonly outputTail: readonly string[],
    options?: { cause?: unknown },
  ) {
    const tail =
      outputTail.length === 0
        ? ' (it wrote nothing)'
        : `; its last output:\n  ${outputTail.slice(-15).join('\n  ')}`;
    super(`Emulator ${emulator} failed to start: ${reason}${tail}`, options);
  }
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly purpose: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Port ${port} (${purpose}) is already in use on 127.0.0.1; stop what holds it or choose ` +
        'another port (see localstack/README.md for the variables)',
      options,
    );
  }
}

export class MissingRuntimeError extends Error {
  override readonly name = 'MissingRuntimeError';
  constructor(
    readonly runtime: string,
    readonly neededBy: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${neededBy} needs ${runtime}, which ${detail}`, options);
  }
}

export class LocalConfigError extends Error {
  override readonly name = 'LocalConfigError';
}

export class ContainerRuntimeUnavailableError extends Error {
  override readonly name = 'ContainerRuntimeUnavailableError';
}
