import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['libs/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'Libraries never import apps/.' }] },
      ],
    },
  },
  {
    files: ['libs/behavior-core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@lssm/behavior-commerce', '@lssm/behavior-commerce/*'] },
      ],
    },
  },
  {
    files: ['libs/overlay/**/*.{ts,tsx}', 'libs/workflow/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@lssm/behavior-core', '@lssm/behavior-core/*'] }],
    },
  },
  {
    // What every Nest layer shares: no other library, no app, no database driver.
    files: ['libs/nest-common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**'], message: 'Libraries never import apps/.' },
            { group: ['@lssm/*', 'pg', '@mikro-orm/*'], message: 'nest-common depends on Nest only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
