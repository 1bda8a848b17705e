/**
 * One definition of every constant that infra, handlers, pipeline and the local stack share
 * (DESIGN.md section 7): each has one home, and a second copy written as a literal in production
 * code fails here. Tests and their fixtures may spell values out (a test states what it expects);
 * browser code (tracker/src, dashboard) cannot import values and checks its copies itself.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..');
const PRODUCTION_FOLDERS = [
  'schemas',
  'pipeline',
  'handlers',
  'infra',
  'localstack',
  'cli',
  'loadtest',
];
const NOT_PRODUCTION =
  /(\.test\.ts$|\/__fixtures__\/|\/test-support\/|\/testing\/|\/test\/|\/dist\/|\/node_modules\/)/;

interface SharedConstant {
  readonly what: string;
  readonly home: string;
  /** Literals that spell the value out instead of reading the home. */
  readonly copies: readonly RegExp[];
  /**
   * Files that still hold a copy, in areas whose owners are changing them this session
   * (CONTRACT.md, STRUCTURE). Remove an entry once its owner reads the home.
   */
  readonly pending?: readonly string[];
  /** Files whose matching literal is another constant that happens to share the value (why). */
  readonly unrelated?: Readonly<Record<string, string>>;
}

const SHARED_CONSTANTS: readonly SharedConstant[] = [
  {
    what: 'the 30-minute session and activity window (WINDOWS)',
    home: 'schemas/limits.ts',
    copies: [/\b30 \* 60\b/, /\b1_?800(_?000)?\b/, /\b18e5\b/, /\b30 \* MINUTE(_MS|_SECONDS)?\b/],
  },
  {
    what: 'retention of events, sessions and bad rows (RETENTION)',
    home: 'schemas/limits.ts',
    copies: [/\b(90|30) \* (DAY_SECONDS|DAY_MS|86_?400|24 \* 60 \* 60)\b/],
    unrelated: {
      'localstack/query/read-tokens-kept.ts': "the demo read token's 30-day lifetime",
    },
  },
  {
    what: 'the ActiveSessions shard default and maximum',
    home: 'schemas/shard-plan.ts',
    copies: [
      /\b(DEFAULT|MAX)_ACTIVE_SESSION_SHARDS\s*=\s*\d/,
      /activeSessionShards\b.*,\s*(4|64)\b/,
    ],
  },
  {
    what: "each Lambda function's memory and timeout (FUNCTION_TUNING)",
    home: 'infra/resources.ts',
    copies: [/\bmemory(Size)?Mb:\s*\d/, /\btimeoutSeconds:\s*\d/, /\bMEMORY_MB\s*=\s*\d/],
    pending: [
      // EDGE: the ingest authorizer's 256 MB / 5 s belong in FUNCTION_TUNING.
      'infra/constructs/ingest-api.ts',
      // The bench's Lambda sizes for its cost model: read FUNCTION_TUNING.
      'loadtest/bench/consumer.ts',
    ],
  },
];

function productionFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs)$/.test(entry.name)) {
        const file = relative(ROOT, path);
        if (!NOT_PRODUCTION.test(`/${file}`)) files.push(file);
      }
    }
  };
  for (const folder of PRODUCTION_FOLDERS) walk(join(ROOT, folder));
  return files;
}

/** `file:line: text` of every line outside the home that spells the constant out. */
function copiesOf(constant: SharedConstant, files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (file === constant.home || constant.pending?.includes(file)) continue;
    if (constant.unrelated?.[file] !== undefined) continue;
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        // A comment that shows an example defines nothing.
        if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
        if (constant.copies.some((copy) => copy.test(line))) {
          found.push(`${file}:${index + 1}: ${line.trim()}`);
        }
      });
  }
  return found;
}

describe('one definition of each shared constant', () => {
  const files = productionFiles();

  it('scans the production code of every folder', () => {
    // Assert: the scan reaches each folder (a wrong root would find no copies, trivially).
    for (const folder of PRODUCTION_FOLDERS) {
      expect(files.some((file) => file.startsWith(`${folder}/`))).toBe(true);
    }
  });

  it.each(SHARED_CONSTANTS.map((constant) => [constant.what, constant] as const))(
    '%s is spelled out only in its home',
    (_what, constant) => {
      // Act
      const copies = copiesOf(constant, files);

      // Assert: each line found should read the home instead.
      expect({ home: constant.home, copies }).toEqual({ home: constant.home, copies: [] });
    },
  );
});
