import { IngestRequestSchema, parseWith } from '../../schemas';
import { Prng } from './prng';
import { planVisit } from './visit-plan';

const site = { siteId: 'demo-shop', origin: 'http://localhost:3000' };
const START = Date.UTC(2026, 10, 22, 12);

describe('demo visit plans', () => {
  const plans = Array.from({ length: 300 }, (_, i) => planVisit(new Prng(i), site, START));

  it('produce requests the ingest contract accepts', () => {
    for (const plan of plans) {
      for (const request of plan.requests) {
        const result = parseWith(IngestRequestSchema, {
          siteId: site.siteId,
          events: request.events,
        });
        expect(result).toEqual(expect.objectContaining({ ok: true }));
      }
    }
  });

  it('number each session seq 0..n-1 once, in the order the requests are due', () => {
    for (const plan of plans) {
      const seqs = plan.requests.flatMap((r) => r.events.map((e) => e.seq));
      expect(seqs).toEqual(seqs.map((_, i) => i));
      const due = plan.requests.map((r) => r.atMs);
      expect(due).toEqual([...due].sort((a, b) => a - b));
    }
  });

  it('mix bots, bounces, engaged readers and a few bad events', () => {
    const bots = plans.filter((p) => p.isBot);
    const events = plans.flatMap((p) => p.requests.flatMap((r) => r.events));
    const future = events.filter((e) => e.ts > START + 24 * 3_600_000);

    expect(bots.length).toBeGreaterThan(0);
    // Bots bounce: one page view each (besides a possible deliberately bad event).
    for (const bot of bots) {
      const views = bot.requests
        .flatMap((r) => r.events)
        .filter((e) => e.type === 'pageview' && e.ts <= START + 3_600_000);
      expect(views).toHaveLength(1);
    }
    expect(events.some((e) => e.type === 'engagement')).toBe(true);
    expect(events.some((e) => e.type === 'custom')).toBe(true);
    expect(future.length).toBeGreaterThan(0);
    expect(future.length).toBeLessThan(plans.length * 0.1);
  });

  it('give visitors distinct loopback source addresses', () => {
    const ips = new Set(plans.map((p) => p.sourceIp));

    expect([...ips].every((ip) => ip.startsWith('127.'))).toBe(true);
    expect(ips.size).toBeGreaterThan(250);
  });
});
