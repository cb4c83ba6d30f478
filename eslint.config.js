// `npm run lint`: typescript-eslint's recommended type-checked rules, plus exhaustive switches (a new
// round event, phase or message must be handled wherever its union is switched on). Formatting is
// Prettier's (`npm run format`); eslint-config-prettier turns off the rules that would disagree with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // client-demo/src/api/openapi.ts is generated (npm run api-types) and checked against the document instead.
  { ignores: ['dist/', 'client-demo/dist/', 'data/', 'bench/results/', 'tests/artifacts/', 'client-demo/src/api/openapi.ts'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // An empty case falls through to the next on purpose, also with a comment between them.
      'no-fallthrough': ['error', { allowEmptyCase: true }],
      // `_name` marks what a signature or a destructuring must name but the code does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false }],
    },
  },
  {
    // Tests: every type-aware rule applies, `no-explicit-any` too, except the `no-unsafe-*` family,
    // for one reason: the JSON the tests read (HTTP answers, log lines) is `any`, declared once as
    // `UntypedJson` (tests/support/httpClient.ts), and each HTTP answer is checked against the
    // OpenAPI document at run time (tests/support/documentedResponses.ts). The room contract is typed
    // (tests/support/labyrinthClient.ts: the SDK client typed from the server), so no cast hides it.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: globals.node } },
  // Mocha loads reporters with require(), so the reporter is CommonJS.
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
);
