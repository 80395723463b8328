// ESLint: typescript-eslint's recommended rules, React hooks rules, and the import boundaries
// in docs/architecture.md (the server decides; the domain stays pure).
const js = require('@eslint/js')
const tseslint = require('typescript-eslint')
const reactHooks = require('eslint-plugin-react-hooks')

// Type-only imports carry no code across a boundary, so they are allowed.
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((p) => ({ allowTypeImports: true, ...p })) }],
})

/** What no file of the mini-program may import. */
const NO_SERVER = {
  group: ['**/server/**', 'wx-server-sdk', 'better-sqlite3', 'node:*'],
  message: 'The mini-program never imports server code.',
}
/** What a use case may not import. */
const SERVER_APP = [
  {
    group: ['**/local/**', '**/wechat/**', 'wx-server-sdk', 'better-sqlite3', '@tarojs/*'],
    message: 'Use cases see ports, never adapters.',
  },
]
// In a flat config a later block's `no-restricted-imports` replaces an earlier one's for the files
// both match, so each block below lists everything its files may not import, and no file is in two.
module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-h5/',
      'console/dist/',
      'artifacts/',
      'coverage/',
      '.data/',
      'cloudfunctions/*/index.js',
      '.swc/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The ideographic space (U+3000) is ordinary in Chinese UI copy.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipJSXText: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Atomics: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      ...restrict([
        { group: ['@tarojs/*', 'react', 'react-dom', '@nutui/*'], message: 'src/domain is pure: no UI framework.' },
        {
          group: ['**/server/**', '**/services/**', '**/api', '**/api/**', 'node:*', 'fs', 'http', 'https'],
          message: 'src/domain does no I/O.',
        },
      ]),
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass `now` in: the domain has no clock.' },
        { object: 'Math', property: 'random', message: 'The domain is deterministic.' },
      ],
    },
  },
  {
    // The contract: the domain's types and the constants its schemas list (product ids, modes), and valibot.
    files: ['src/api/**/*.ts'],
    rules: restrict([
      {
        group: [
          '@tarojs/*',
          'react',
          '**/server/**',
          '**/pages/**',
          '**/components/**',
          '**/hooks/**',
          '**/services/**',
        ],
        message: 'src/api is the contract: the domain and valibot only.',
      },
    ]),
  },
  {
    files: ['src/pages/**/*', 'src/hooks/**/*', 'src/app.ts', 'src/app.config.ts', 'src/routes.ts'],
    rules: restrict([NO_SERVER]),
  },
  {
    // Presentational: no cloud calls. The one hook they may use is 长辈模式, a setting kept on the device.
    files: ['src/components/**/*'],
    rules: restrict([
      NO_SERVER,
      {
        group: ['**/services/**', '**/hooks/**', '!**/hooks/use-elder-mode'],
        message: 'Components are presentational: no cloud calls.',
      },
    ]),
  },
  {
    // The platform bridge and the typed cloud client: the server decides, so no domain decisions here.
    files: ['src/services/**/*'],
    rules: restrict([
      NO_SERVER,
      { group: ['**/domain/**'], message: 'src/services carries calls; the server decides.' },
    ]),
  },
  {
    // How things read on screen: pure functions of the domain and the contract.
    files: ['src/ui/**/*'],
    rules: restrict([
      NO_SERVER,
      {
        group: ['@tarojs/*', 'react', '@nutui/*', '**/services/**', '**/hooks/**', '**/components/**', '**/pages/**'],
        message: 'src/ui is pure: no UI framework, no cloud calls.',
      },
    ]),
  },
  {
    // A use case module never imports the action table or the entries: with `export const` use cases, a cycle
    // through handler.ts would leave entries of ACTIONS undefined at start-up.
    files: ['server/app/**/*.ts'],
    ignores: ['server/app/handler.ts', 'server/app/timer.ts'],
    rules: restrict([
      ...SERVER_APP,
      { group: ['**/handler', './handler'], message: 'Use cases never import the action table (handler.ts).' },
    ]),
  },
  {
    // The entries: the action table and the timer's main, which build on it.
    files: ['server/app/handler.ts', 'server/app/timer.ts'],
    rules: restrict(SERVER_APP),
  },
  {
    // Adapters (and the wiring that builds the ports from them) implement ports.ts with their own SDKs.
    files: [
      'server/local/adapters/**/*.ts',
      'server/local/ports.ts',
      'server/local/standin-ports.ts',
      'server/wechat/**/*.ts',
    ],
    rules: restrict([
      {
        group: ['**/app/**', '**/runtime/**', '**/src/pages/**', '**/src/hooks/**'],
        message: 'Adapters implement ports; they never reach into the use cases.',
      },
    ]),
  },
  {
    // The stand-in plays WeChat Cloud's side of the wire: it knows the protocol, never Kaitong's code.
    files: ['server/wechat-standin/**/*.ts'],
    rules: restrict([
      {
        group: ['**/app/**', '**/local/**', '**/wechat/**', '**/ports', '**/src/**', 'wx-server-sdk'],
        message: 'The stand-in is WeChat Cloud, not Kaitong: it speaks the protocol and imports none of our code.',
      },
    ]),
  },
  {
    // Deploy units (and the local cloud's runtime, which is one): server code and the contract, never the UI.
    files: ['cloudfunctions/**/*.ts', 'server/local/runtime/**/*.ts'],
    rules: restrict([
      {
        group: ['**/src/pages/**', '**/src/components/**', '**/src/hooks/**', '**/src/services/**', '@tarojs/*'],
        message: 'Deploy units run server code, never pages.',
      },
    ]),
  },
  {
    // The operator console talks to the console function through the contract only: never server code.
    files: ['console/**/*.{ts,tsx}'],
    ignores: ['console/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([
        {
          group: [
            '**/server/**',
            'node:*',
            '@tarojs/*',
            '@nutui/*',
            '**/src/pages/**',
            '**/src/services/**',
            '**/src/hooks/**',
          ],
          message: 'The console reaches the server only through the console function (src/api/console).',
        },
      ]),
    },
  },
  {
    files: ['test/**/*', 'bench/**/*', 'scripts/**/*'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
)
