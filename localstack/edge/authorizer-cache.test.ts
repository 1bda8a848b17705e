import { memoryRegistryReader, type RegistryReader } from '../../pipeline/ingest-authorization';
import { newIngestKey } from '../../pipeline/ingest-key';
import { DeadlineExceededError } from '../../handlers/adapters/deadline';
import { AuthorizerCache } from './authorizer-cache';

describe('AuthorizerCache', () => {
  it('fails a registry read that never answers at the timeout, and caches nothing for it', async () => {
    // Arrange: a registry whose first read hangs (DynamoDB frozen), then answers from memory.
    const memory = memoryRegistryReader();
    const { key } = newIngestKey('shop');
    memory.putSite({ siteId: 'shop', keys: [key] });
    let hang = true;
    const registry: RegistryReader = {
      readSiteKey: (siteId, sha) =>
        hang ? new Promise(() => undefined) : memory.readSiteKey(siteId, sha),
    };
    const cache = new AuthorizerCache(registry, 60_000, Date.now, 20);

    // Act + assert: the hung read fails with a message naming the timeout; the next read answers.
    await expect(cache.authorize(key)).rejects.toThrow(DeadlineExceededError);
    await expect(cache.authorize(key)).rejects.toThrow(
      /the ingest authorizer \(registry read\) did not finish before the invocation deadline \(20 ms budget\)/,
    );
    hang = false;
    await expect(cache.authorize(key)).resolves.toMatchObject({ kind: 'allow', siteId: 'shop' });
  });
});
