// Lint rules. The one that matters most: the core may not import any SDK, driver or transport,
// so the approval policy, the plan and the engine stay testable without I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbiddenInCore = [
  'botbuilder*',
  'botframework-*',
  'ldapts',
  '@microsoft/*',
  '@azure/*',
  'better-sqlite3',
  'pg',
  'restify',
  'adaptivecards*',
  'http',
  'https',
  'net',
  'tls',
  'node:http',
  'node:https',
  'node:net',
  'node:tls',
  'node:child_process',
  'node:fs',
  'fs',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.tmp/**', 'devTools/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbiddenInCore,
              message:
                'The core must not import SDKs, drivers or transports: define a port in src/core/ports.ts.',
            },
            {
              group: ['../teams/*', '../directory/*', '../store/*', '../../*'],
              message: 'The core may not depend on adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*', 'bench/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
