/**
 * The stage's protection settings (issue 12 items 3–5), read from CDK context beside
 * infra/stage-config.ts and validated the same way: a wrong value fails `synth` naming the key,
 * the value received and the form expected. The expensive pieces are switches, so a small
 * profile can leave them off (docs/operations: cost table).
 *
 * | context key | form | default |
 * |---|---|---|
 * | `waf` | `true` / `false`: AWS WAF web ACL on the API ($5 + $1 per rule a month) | `true` |
 * | `wafRateLimit` | requests per IP per 5 minutes before WAF blocks it (100–2,000,000,000) | 6000 |
 * | `backup` | `true` / `false`: AWS Backup plan for Sessions, ReadTokens and Registry | `true` |
 * | `backupRetentionDays` | days a daily backup is kept (1–36,500) | 35 |
 * | `failuresRetentionDays` | days objects stay in the failures bucket (1–3,650) | 30 |
 * | `reservedConcurrency` | `true` / `false`: reserve Lambda concurrency (needs an account limit above ~150: 45 reserved + 100 unreserved) | `true` |
 * | `terminationProtection` | `true` / `false` | `true` for a stage named `prod` or ending in `-prod` |
 */
import { RETENTION_SECONDS } from './resources';
import { StageConfigError } from './stage-config';

export interface ProtectionSettings {
  readonly waf: boolean;
  readonly wafRateLimit: number;
  readonly backup: boolean;
  readonly backupRetentionDays: number;
  readonly failuresRetentionDays: number;
  readonly reservedConcurrency: boolean;
  readonly terminationProtection: boolean;
}

export const PROTECTION_CONTEXT_KEYS = {
  waf: 'waf',
  wafRateLimit: 'wafRateLimit',
  backup: 'backup',
  backupRetentionDays: 'backupRetentionDays',
  failuresRetentionDays: 'failuresRetentionDays',
  reservedConcurrency: 'reservedConcurrency',
  terminationProtection: 'terminationProtection',
} as const satisfies Record<keyof ProtectionSettings, string>;

const DAY_SECONDS = 86_400;

export const PROTECTION_DEFAULTS = {
  waf: true,
  // 6,000 per 5 minutes = 20 requests/s from one IP, sustained: far above a browser's beacons,
  // below what a single-machine flood sends. Server-side senders above it raise the limit.
  wafRateLimit: 6_000,
  backup: true,
  backupRetentionDays: 35,
  // The failures bucket keeps bad-row payloads and failed batches as long as bad rows live.
  failuresRetentionDays: RETENTION_SECONDS.badRows / DAY_SECONDS,
  reservedConcurrency: true,
} as const satisfies Partial<ProtectionSettings>;

/** A stage is production when it is named `prod` or ends in `-prod` (liveinsight-prod). */
export function isProductionStage(stage: string): boolean {
  return /(^|-)prod$/.test(stage);
}

function booleanFrom(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StageConfigError(key, value, 'true or false');
}

function integerFrom(key: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  const parsed =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new StageConfigError(key, value, `an integer from ${min} to ${max}`);
  }
  return parsed;
}

/** Reads and validates the protection settings of `stage` from `context`. */
export function readProtectionSettings(
  context: (key: string) => unknown,
  stage: string,
): ProtectionSettings {
  const k = PROTECTION_CONTEXT_KEYS;
  const d = PROTECTION_DEFAULTS;
  return {
    waf: booleanFrom(k.waf, context(k.waf), d.waf),
    // WAF's own bounds for a rate-based rule's limit.
    wafRateLimit: integerFrom(k.wafRateLimit, context(k.wafRateLimit), d.wafRateLimit, 100, 2e9),
    backup: booleanFrom(k.backup, context(k.backup), d.backup),
    backupRetentionDays: integerFrom(
      k.backupRetentionDays,
      context(k.backupRetentionDays),
      d.backupRetentionDays,
      1,
      36_500,
    ),
    failuresRetentionDays: integerFrom(
      k.failuresRetentionDays,
      context(k.failuresRetentionDays),
      d.failuresRetentionDays,
      1,
      3_650,
    ),
    reservedConcurrency: booleanFrom(
      k.reservedConcurrency,
      context(k.reservedConcurrency),
      d.reservedConcurrency,
    ),
    terminationProtection: booleanFrom(
      k.terminationProtection,
      context(k.terminationProtection),
      isProductionStage(stage),
    ),
  };
}
