// Flat config: typescript-eslint's type-aware rules on our sources, prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  // .liveinsight is npm start's state folder (git-ignored): nothing in it is ours to lint.
  {
    ignores: [
      'node_modules/**',
      'dist/**',
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
    // Domain logic never reaches for the AWS SDK or the environment (DESIGN.md section 7).
    files: ['pipeline/**/*.ts', 'schemas/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'aws-sdk', '../handlers/*', '../localstack/*', '../infra/*'] },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only handlers/config reads process.env.' },
      ],
    },
  },
);
