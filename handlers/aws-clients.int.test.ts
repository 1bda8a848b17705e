import { createServer, type Server, type Socket } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from './aws-clients';

// A service that takes the connection and never answers (a frozen DynamoDB Local, a stalled
// socket): a call must fail at the request timeout instead of waiting without end.
describe('createAwsClients against a service that never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let port = 0;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read and ignore the request
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    port = address.port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fails the call at the request timeout', async () => {
    const clients = createAwsClients(
      { region: 'us-east-1', endpoint: `http://127.0.0.1:${port}` },
      { maxAttempts: 1, requestTimeoutMs: 200 },
    );
    try {
      await expect(clients.dynamodb.send(new ListTablesCommand({}))).rejects.toThrow(
        /timed out|timeout/i,
      );
    } finally {
      clients.destroy();
    }
  }, 10_000);
});
