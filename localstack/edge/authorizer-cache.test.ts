import { memoryRegistryReader, type RegistryReader } from '../../pipeline/ingest-authorization';
import { newIngestKey } from '../../pipeline/ingest-key';
import { AuthorizerCache, AuthorizerTimeoutError } from './authorizer-cache';

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
    await expect(cache.authorize(key)).rejects.toThrow(AuthorizerTimeoutError);
    await expect(cache.authorize(key)).rejects.toThrow(/did not answer within 20 ms/);
    hang = false;
    await expect(cache.authorize(key)).resolves.toMatchObject({ kind: 'allow', siteId: 'shop' });
  });
});
