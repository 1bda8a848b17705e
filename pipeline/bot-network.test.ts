import fc from 'fast-check';
import { cloudNetworkOf, createNetworkLookup } from './bot-network';

describe('source IP → cloud or hosting network', () => {
  // Ranges made here in the shape update-cloud-ranges.ts writes: the repository ships no copy of
  // the providers' lists (the script downloads them where the stage is built).
  const networks = createNetworkLookup({
    aws: { v4: ['1.178.0.0/16'], v6: ['2a01:578::/32'] },
    azure: { v4: ['4.128.0.0/12'], v6: [] },
    digitalocean: { v4: ['5.101.96.0/21'], v6: [] },
    'google-cloud': { v4: [], v6: ['2001:4860::/32'] },
  });

  it.each([
    ['1.178.1.5', 'aws'],
    ['::ffff:1.178.1.5', 'aws'],
    ['2a01:578:0:7a00::1', 'aws'],
    ['4.128.0.1', 'azure'],
    ['5.101.96.10', 'digitalocean'],
    ['2001:4860:4801:2::1', 'google-cloud'],
  ])('%s → %s', (ip, provider) => {
    expect(networks.providerOf(ip)).toBe(provider);
  });

  it.each([
    ['a residential IPv4', '81.2.69.160'],
    ['a private address', '192.168.1.20'],
    ['a documentation address (TEST-NET-3)', '203.0.113.42'],
    ['a loopback address (the demo traffic)', '127.0.5.5'],
    ['a documentation IPv6 address', '2001:db8::1'],
    ['a residential IPv6', '2a02:8108:1234:5600::1'],
    ['an empty source IP', ''],
    ['not an IP', 'unknown'],
    ['an octet over 255', '1.178.1.256'],
    ['too many groups', '1:2:3:4:5:6:7:8:9'],
  ])('%s is no network', (_case, ip) => {
    expect(networks.providerOf(ip)).toBeUndefined();
  });

  it('never throws, whatever the edge passes as the source IP (the file as it is)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (ip) => {
        const provider = cloudNetworkOf(ip);
        expect(provider === undefined || typeof provider === 'string').toBe(true);
      }),
    );
  });
});

describe('interval lookup', () => {
  const lookup = createNetworkLookup({
    outer: { v4: ['10.0.0.0/8'], v6: ['2001:db8::/32'] },
    inner: { v4: ['10.1.0.0/16', '10.200.0.0/24'], v6: ['2001:db8:1::/48'] },
    edge: { v4: ['255.255.255.255/32', '0.0.0.0/32'], v6: ['ffff:ffff:ffff:ffff::/64'] },
  });

  it('finds an address after a nested range inside its enclosing range', () => {
    expect(lookup.providerOf('10.2.0.1')).toBe('outer');
    expect(lookup.providerOf('10.255.255.255')).toBe('outer');
    expect(lookup.providerOf('2001:db8:2::1')).toBe('outer');
  });

  it('respects the bounds of every range, at both ends of the address space', () => {
    expect(lookup.providerOf('9.255.255.255')).toBeUndefined();
    expect(lookup.providerOf('11.0.0.0')).toBeUndefined();
    expect(lookup.providerOf('255.255.255.255')).toBe('edge');
    expect(lookup.providerOf('0.0.0.0')).toBe('edge');
    expect(lookup.providerOf('0.0.0.1')).toBeUndefined();
    expect(lookup.providerOf('ffff:ffff:ffff:ffff:ffff::1')).toBe('edge');
    expect(lookup.providerOf('2001:db9::')).toBeUndefined();
  });

  it('refuses a malformed range at build time, naming it', () => {
    expect(() => createNetworkLookup({ x: { v4: ['10.0.0.0/33'], v6: [] } })).toThrow(
      '10.0.0.0/33',
    );
  });
});
