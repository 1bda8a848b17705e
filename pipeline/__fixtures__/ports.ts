/** Test doubles for the pipeline's pure ports (a fixed clock, a deterministic salt). */
import type { Clock, PipelinePorts, SaltProvider } from '../ports';
import { RECEIVED_AT } from './edge-records';

export function fixedClock(now = RECEIVED_AT + 1_000): Clock {
  return { now: () => now };
}

/** A salt per day that records which days were asked for. */
export function recordingSalt(): SaltProvider & { readonly days: string[] } {
  const days: string[] = [];
  return {
    days,
    saltForDay(day: string): string {
      days.push(day);
      return `test-salt-${day}`;
    },
  };
}

export function testPorts(overrides: Partial<PipelinePorts> = {}): PipelinePorts {
  return { clock: fixedClock(), salt: recordingSalt(), ...overrides };
}
