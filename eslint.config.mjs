// Lint rules. The one that matters most: the core imports only core files and a few I/O-free node
// built-ins (an allowlist, in lint/core-imports.mjs), so the approval policy, the plan and the
// engine stay testable without I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { coreImports } from './lint/core-imports.mjs';

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
    plugins: { revoke: { rules: { 'core-imports': coreImports } } },
    rules: { 'revoke/core-imports': 'error' },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*', 'bench/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
