// Flat config: typescript-eslint's type-aware rules on our sources, prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * The layer table of DESIGN.md section 2: which of our folders each folder's production code may
 * import. Everything not listed is refused by import-x/no-restricted-paths on the resolved path,
 * so `../../x` and `../x` are judged alike. `loadtest/` may import everything and nothing may
 * import it; tests and test support are exempt (TEST_FILES).
 */
const FOLDERS = [
  'schemas',
  'pipeline',
  'handlers',
  'infra',
  'localstack',
  'cli',
  'loadtest',
  'tracker',
  'dashboard',
  'test',
];
const MAY_IMPORT = {
  schemas: [],
  pipeline: ['schemas'],
  handlers: ['schemas', 'pipeline'],
  // Handlers as entry paths (and the constants their configuration shares with the stack);
  // tracker/build likewise: the hosting construct builds li.js at synth for its versioned path and SRI.
  infra: ['schemas', 'handlers', 'tracker/build'],
  // tracker/build is the node-side build of the tracker (script tag, SRI), not browser code.
  localstack: ['schemas', 'pipeline', 'handlers', 'infra', 'tracker/build'],
  'tracker/build': ['schemas', 'pipeline', 'tracker'],
  cli: ['schemas', 'pipeline', 'handlers', 'infra/resources.ts'],
  loadtest: FOLDERS.filter((folder) => folder !== 'loadtest' && folder !== 'test'),
  // Browser code: types only from schemas/ (checked below by no-restricted-imports);
  // tracker/build is node-side tooling (bundle, size, SRI) with its own entry below.
  tracker: ['schemas'],
  dashboard: ['schemas'],
};
/** One Lambda's folder never imports another's; shared code sits in handlers/*.ts, adapters/, dynamodb-stream/. */
const LAMBDA_FOLDERS = [
  'handlers/authorizer',
  'handlers/consumer',
  'handlers/ingest-authorizer',
  'handlers/processor',
  'handlers/query',
  'handlers/rollup',
];
const SHARED_HANDLER_FOLDERS = ['handlers/adapters', 'handlers/dynamodb-stream'];
/** Tests may use the test support of any layer (DESIGN.md section 2). */
const TEST_FILES = [
  '**/*.test.ts',
  '**/__fixtures__/**',
  '**/test-support/**',
  '**/testing/**',
  '**/test/**',
  'handlers/faults/**',
];
/**
 * Files that still import against the table, in areas whose owners are changing them this
 * session (CONTRACT.md, STRUCTURE). Remove an entry when its owner reports it clean.
 */
const PENDING_LAYER_FIXES = [];

const RESOLVE_OUR_FILES = {
  'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })],
};

function layerZones(folders) {
  const zones = [];
  for (const folder of folders) {
    const allowed = MAY_IMPORT[folder];
    for (const other of FOLDERS) {
      if (other === folder) continue;
      const partly = allowed.filter((entry) => entry.startsWith(`${other}/`));
      if (allowed.includes(other)) continue;
      zones.push({
        target: `./${folder}`,
        from: `./${other}`,
        except: partly.map((entry) => `./${entry.slice(other.length + 1)}`),
        message: `DESIGN.md section 2: ${folder}/ may import ${allowed.join(', ') || 'nothing of ours'}.`,
      });
    }
  }
  if (!folders.includes('handlers')) return zones;
  for (const lambda of [...LAMBDA_FOLDERS, ...SHARED_HANDLER_FOLDERS]) {
    const others = LAMBDA_FOLDERS.filter((other) => other !== lambda);
    zones.push({
      target: `./${lambda}`,
      from: others.map((other) => `./${other}`),
      message:
        'One Lambda never imports another: move what both use to handlers/*.ts, handlers/adapters/ or handlers/dynamodb-stream/.',
    });
  }
  return zones;
}

export default tseslint.config(
  // .liveinsight is npm start's state folder (git-ignored): nothing in it is ours to lint.
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      // The tracker's build output (npm run build:tracker, npm start).
      'tracker/dist/**',
      'cdk.out/**',
      'coverage/**',
      'dashboard/vendor/**',
      '.liveinsight/**',
    ],
  },
  js.configs.recommended,
  {
    // Config files and the jest reporter are CommonJS scripts run by Node.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    // The dashboard is browser code; it declares its globals itself.
    ignores: ['dashboard/**'],
    languageOptions: { globals: globals.node },
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // The layer table (DESIGN.md section 2) for every folder's production code.
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: [...TEST_FILES, ...PENDING_LAYER_FIXES, 'tracker/build/**'],
    plugins: { 'import-x': importX },
    settings: RESOLVE_OUR_FILES,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: layerZones(Object.keys(MAY_IMPORT).filter((f) => f !== 'tracker/build')) },
      ],
    },
  },
  {
    files: ['tracker/build/**/*.ts'],
    ignores: TEST_FILES,
    plugins: { 'import-x': importX },
    settings: RESOLVE_OUR_FILES,
    rules: { 'import-x/no-restricted-paths': ['error', { zones: layerZones(['tracker/build']) }] },
  },
  {
    // Browser code takes only types from schemas/: nothing of ours may end up in its bundle.
    files: ['tracker/**/*.ts', 'dashboard/**/*.js'],
    ignores: [...TEST_FILES, 'tracker/build/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/schemas', '**/schemas/**'], allowTypeImports: true }] },
      ],
    },
  },
  {
    // Domain logic never reaches for the AWS SDK or the environment (DESIGN.md section 7).
    files: ['pipeline/**/*.ts', 'schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', 'aws-sdk'] }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only handlers/config reads process.env.' },
      ],
    },
  },
);
