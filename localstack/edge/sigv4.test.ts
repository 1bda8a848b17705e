/**
 * The edge's SigV4 signer against the AWS SDK's own (@smithy/signature-v4) on the same requests
 * at the same instant: the Authorization header must be identical.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';
import fc from 'fast-check';
import { SigV4Signer } from './sigv4';

/** SHA-256 / HMAC-SHA256 in the shape SignatureV4 takes. */
class Sha256 implements Checksum {
  private readonly hash;

  constructor(secret?: SourceData) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac(
            'sha256',
            typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array),
          );
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    throw new Error('not used by SignatureV4');
  }
}

async function sdkAuthorization(
  credentials: AwsCredentialIdentity,
  region: string,
  headers: Record<string, string>,
  body: string,
  path: string,
  at: Date,
): Promise<string> {
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'kinesis',
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      path,
      query: {},
      headers: { ...headers },
      body,
    },
    { signingDate: at },
  );
  return String(signed.headers['authorization']);
}

const HEADERS = {
  host: '127.0.0.1:4566',
  'content-type': 'application/x-amz-json-1.1',
  'content-length': '42',
  'x-amz-target': 'Kinesis_20131202.PutRecords',
};

it('signs as the AWS SDK does, for any body, instant and region', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      fc.constantFrom('us-east-1', 'eu-central-1', 'ap-southeast-2'),
      async (body, at, region) => {
        const credentials = {
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG',
        };
        const headers: Record<string, string> = { ...HEADERS };

        new SigV4Signer(credentials, region, 'kinesis').sign({ path: '/', headers, body }, at);

        expect(headers['authorization']).toBe(
          await sdkAuthorization(credentials, region, HEADERS, body, '/', at),
        );
      },
    ),
    { numRuns: 50 },
  );
});

it('keeps a signing key per day, signs a session token and an encoded path like the SDK', async () => {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'secret',
    sessionToken: 'token/with+chars=',
  };
  const signer = new SigV4Signer(credentials, 'us-east-1', 'kinesis');
  for (const at of [new Date('2026-03-01T23:59:59Z'), new Date('2026-03-02T00:00:00Z')]) {
    const headers: Record<string, string> = { ...HEADERS };

    signer.sign({ path: '/a b/c', headers, body: '{}' }, at);

    expect(headers['x-amz-security-token']).toBe(credentials.sessionToken);
    expect(headers['authorization']).toBe(
      await sdkAuthorization(
        credentials,
        'us-east-1',
        { ...HEADERS, 'x-amz-security-token': credentials.sessionToken },
        '{}',
        '/a b/c',
        at,
      ),
    );
  }
});
