import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // libs/client/src/generated: openapi-typescript's output, checked by its drift test instead.
    ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'libs/client/src/generated/**'],
  },
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
      'no-restricted-imports': [
        'error',
        { patterns: ['@lssm/behavior-core', '@lssm/behavior-core/*', '@lssm/personalization'] },
      ],
    },
  },
  {
    // Shipped to browsers as well as Node apps. Its tsconfig has no Node types; these rules also keep
    // out packages whose own types would bring Node's back in (pg, Nest, MikroORM) and the backend libs.
    files: ['libs/personalization/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinModules.map((name) => ({
            name,
            message: 'Node built-ins do not exist in a browser.',
          })),
          patterns: [
            { group: ['**/apps/**'], message: 'Libraries never import apps/.' },
            { group: ['node:*'], message: 'Node built-ins do not exist in a browser.' },
            {
              group: ['@nestjs/*', '@mikro-orm/*', 'pg', 'pg-*', 'ioredis', 'bullmq', 'pino', 'pino-*'],
              message: 'Framework-free: no Nest, database, queue or server logging packages.',
            },
            {
              group: [
                '@lssm/behavior-core',
                '@lssm/behavior-core/*',
                '@lssm/behavior-commerce',
                '@lssm/behavior-commerce/*',
              ],
              message: 'The backend imports personalization, never the other way round.',
            },
            {
              group: ['@lssm/overlay/*', '@lssm/workflow/*'],
              message: 'Only the framework-free entry points of overlay and workflow.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MetaProperty[meta.name='import']",
          message: 'import.meta breaks CommonJS builds of this package (and the Jest transform).',
        },
        { selector: "CallExpression[callee.name='require']", message: 'ES modules only.' },
      ],
    },
  },
  {
    // What every Nest layer shares, the data-access layer included: no other library, no app.
    files: ['libs/nest-common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/**'], message: 'Libraries never import apps/.' },
            { group: ['@lssm/*'], message: 'nest-common depends on no other library of the service.' },
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
