// Lint: the recommended rules plus what the house style asks (no `any` across boundaries, no floating promises).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'bench/_*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  { files: ['bin/*.js', 'eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // module hooks a test loads into a child node with --import: plain ESM, before any TypeScript loader exists
  { files: ['test/support/*.mjs'], ...tseslint.configs.disableTypeChecked, languageOptions: { parserOptions: { projectService: false }, globals: { process: 'readonly', URL: 'readonly' } } },
  // the web chat page's own script runs in the citizen's browser, as a plain script
  {
    files: ['src/connectors/webchat/page.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        ['window', 'document', 'localStorage', 'fetch', 'navigator', 'location', 'URL', 'MutationObserver', 'setTimeout', 'clearTimeout', 'setInterval'].map((g) => [g, 'readonly']),
      ),
    },
  },
);
