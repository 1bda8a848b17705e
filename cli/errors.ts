/**
 * The admin CLI's errors: what the operator typed wrong (usage, exit 2) and what the target
 * answered (exit 1), each naming what was received and what was expected.
 */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export class CliTargetError extends Error {
  override readonly name = 'CliTargetError';
}

/**
 * Translates the SDK's and the network's failures into sentences an operator can act on: no
 * local stack, no credentials, an unknown bucket or table. Anything else is passed through.
 */
export function explainAwsError(error: unknown, what: string): Error {
  if (!(error instanceof Error)) return new CliTargetError(`${what}: ${String(error)}`);
  const code = (error as { code?: unknown }).code;
  const name = error.name;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(error.message)) {
    return new CliTargetError(
      `${what}: nothing answers at the AWS endpoint (${error.message}); expected the local stack ` +
        'of `npm start` (or pass --stage <name> for a deployed stage)',
      { cause: error },
    );
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(error.message)) {
    return new CliTargetError(
      `${what}: no AWS credentials found (${error.message}); expected credentials from the ` +
        'standard chain (AWS_PROFILE, environment, SSO, instance role)',
      { cause: error },
    );
  }
  if (name === 'NoSuchBucket') {
    return new CliTargetError(
      `${what}: the bucket does not exist (expected the stage's failures bucket)`,
      {
        cause: error,
      },
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new CliTargetError(`${what}: ${error.message} (expected the stage's table to exist)`, {
      cause: error,
    });
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return new CliTargetError(`${what}: the AWS credentials have expired (${error.message})`, {
      cause: error,
    });
  }
  return error;
}
