// ESLint flat config (`npm run lint`, run by scripts/test.sh): typescript-eslint WITH type
// information — each file is checked against the tsconfig.json nearest to it (the root one, or
// apps/web's) — and the React hooks rules for the web app. Rules are decided here, per kind of file;
// an eslint-disable comment is for one line that is an exception, and must say why after `--`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-output/**', '.cache/**', 'coverage/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Money code: a promise nobody awaits loses its error and its ordering; one handed to a
      // callback that expects void (an event handler, a timer) does too.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Async is often the contract, not a choice: Fastify hooks and handlers, interface methods that
      // a fake implements synchronously. The promise hazards are the two rules above and await-thenable.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Numbers and bigints in messages are what we mean (`${amount} atomic units`); objects still fail.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
    },
  },
  {
    // Tests read HTTP response bodies as parsed JSON (`any`) and assert on them field by field; typing
    // every body would add a cast per assertion and check nothing that the assertion does not.
    files: [
      '**/*.test.ts',
      'e2e/**/*.ts',
      '**/src/testing/**/*.ts',
      '**/src/testing.ts',
      '**/test-helpers.ts',
      'bench/**/*.ts',
      'deploy/flow.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // A service answers only with the codes of its list (its errors.ts): errors are built by the
    // helpers errorHelpers makes over that list, which reject any other code at compile time.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/src/testing/**', '**/test-helpers.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='AppError']",
          message: "Use the error helpers of the service's errors.ts (they accept only its error codes).",
        },
      ],
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    // The two classic hooks rules. The plugin's React Compiler rules (refs, set-state-in-effect,
    // purity, ...) are left off: the app does not use the compiler, and its "latest value in a ref"
    // hooks (app/hooks.ts, app/live.ts) are the pattern those rules forbid on purpose.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Plain JavaScript (a few scripts and configs) is in no tsconfig: lint it without type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
