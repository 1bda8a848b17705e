import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { ItemEncodingError } from './item-codec';
import { isPermanentWriteError, isWriteFailure } from './write-errors';

function serviceError(name: string): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `${name} from the service`,
  });
}

describe('write error classification', () => {
  it.each(['ValidationException'])('%s: the data can never be written (a bad row)', (name) => {
    expect(isPermanentWriteError(serviceError(name))).toBe(true);
    expect(isWriteFailure(serviceError(name))).toBe(true);
  });

  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'InternalServerError',
    // Faults of the deployment, not of one record: retried, never every event a bad row.
    'ResourceNotFoundException',
    'AccessDeniedException',
  ])('%s: a transient write failure (retried)', (name) => {
    expect(isPermanentWriteError(serviceError(name))).toBe(false);
    expect(isWriteFailure(serviceError(name))).toBe(true);
  });

  it('an item that cannot be encoded is permanent too', () => {
    expect(isPermanentWriteError(new ItemEncodingError('(item).x', 'a function'))).toBe(true);
  });

  it('a bug is neither: it escapes the invocation', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'S')");
    expect(isPermanentWriteError(bug)).toBe(false);
    expect(isWriteFailure(bug)).toBe(false);
  });
});
