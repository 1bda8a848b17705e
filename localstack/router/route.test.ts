import { type RouteInput, routeRequest } from './route';

function input(headers: RouteInput['headers'], url = '/', method = 'POST'): RouteInput {
  return { method, url, headers };
}

const signed = (service: string): string =>
  `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('routeRequest', () => {
  it.each([
    ['DynamoDB_20120810.PutItem', 'dynamodb'],
    ['DynamoDBStreams_20120810.GetRecords', 'dynamodb'],
    ['Kinesis_20131202.PutRecords', 'kinesis'],
  ])('routes X-Amz-Target %s to %s', (target, service) => {
    expect(routeRequest(input({ 'x-amz-target': target }))).toEqual({
      kind: 'service',
      service,
      target,
      via: 'target',
    });
  });

  it('names an unknown X-Amz-Target service instead of guessing', () => {
    expect(routeRequest(input({ 'x-amz-target': 'AmazonSQS.SendMessage' }))).toEqual({
      kind: 'unsupported',
      service: 'AmazonSQS',
      via: 'X-Amz-Target',
    });
  });

  it('routes Smithy RPC v2 CBOR paths by service name', () => {
    expect(
      routeRequest(
        input(
          { 'smithy-protocol': 'rpc-v2-cbor' },
          '/service/Kinesis_20131202/operation/PutRecords',
        ),
      ),
    ).toMatchObject({ kind: 'service', service: 'kinesis', target: 'Kinesis_20131202.PutRecords' });
  });

  it('routes S3 REST calls by the SigV4 credential scope', () => {
    expect(
      routeRequest(input({ authorization: signed('s3') }, '/bucket/key?x-id=PutObject', 'PUT')),
    ).toMatchObject({ kind: 'service', service: 's3', via: 'credential-scope' });
  });

  it('routes presigned S3 URLs by X-Amz-Credential', () => {
    const credential = encodeURIComponent('test/20260101/us-east-1/s3/aws4_request');
    expect(
      routeRequest(
        input({}, `/bucket/key?X-Amz-Credential=${credential}&X-Amz-Signature=x`, 'GET'),
      ),
    ).toMatchObject({ kind: 'service', service: 's3', via: 'credential-scope' });
  });

  it('names an unsupported signing service', () => {
    expect(routeRequest(input({ authorization: signed('sqs') }))).toEqual({
      kind: 'unsupported',
      service: 'sqs',
      via: 'SigV4 credential scope',
    });
  });

  it.each([
    ['kinesis.us-east-1.localhost.localstack.cloud:4566', 'kinesis'],
    ['dynamodb.us-east-1.localhost.localstack.cloud', 'dynamodb'],
    ['streams.dynamodb.us-east-1.amazonaws.com', 'dynamodb'],
    ['my-bucket.s3.localhost.localstack.cloud:4566', 's3'],
  ])('routes unsigned requests to host %s to %s', (host, service) => {
    expect(routeRequest(input({ host }, '/', 'GET'))).toMatchObject({ service, via: 'host' });
  });

  it('sends anything else to S3, like LocalStack (unsigned dashboard asset GETs)', () => {
    expect(routeRequest(input({ host: 'localhost:4566' }, '/dash/index.html', 'GET'))).toEqual({
      kind: 'service',
      service: 's3',
      target: undefined,
      via: 'default',
    });
  });

  it('answers its own health and control paths', () => {
    expect(routeRequest(input({}, '/_localstack/health', 'GET'))).toEqual({
      kind: 'internal',
      path: '/_localstack/health',
    });
    expect(routeRequest(input({}, '/_liveinsight/ttl/sweep?x=1'))).toEqual({
      kind: 'internal',
      path: '/_liveinsight/ttl/sweep',
    });
  });

  it('prefers X-Amz-Target over the credential scope (DynamoDB Streams signs as dynamodb)', () => {
    expect(
      routeRequest(
        input({
          'x-amz-target': 'Kinesis_20131202.ListStreams',
          authorization: signed('dynamodb'),
        }),
      ),
    ).toMatchObject({ service: 'kinesis', via: 'target' });
  });
});
