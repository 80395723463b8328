// jest projects: node (domain, server, cloud functions), jsdom (pages), weapp (the compiled
// dist/ in miniprogram-simulate) and e2e (the H5 build in Chromium against the local cloud).
const transform = { '\\.(t|j)sx?$|\\.mjs$': 'babel-jest' }
// Platform files: tests see the browser face of src/services, as the H5 build does.
const moduleFileExtensions = ['h5.ts', 'h5.tsx', 'ts', 'tsx', 'js', 'mjs', 'cjs', 'json']

const taroGlobals = {
  ENABLE_INNER_HTML: true,
  ENABLE_ADJACENT_HTML: true,
  ENABLE_SIZE_APIS: true,
  ENABLE_TEMPLATE_CONTENT: true,
  ENABLE_MUTATION_OBSERVER: true,
  ENABLE_CLONE_NODE: true,
  ENABLE_CONTAINS: true,
  DEPRECATED_ADAPTER_COMPONENT: false,
  __TARO_FRAMEWORK__: 'react',
  KAITONG_CLOUD_ENV: '',
  KAITONG_TEMPLATE_DUE: '',
  KAITONG_TEMPLATE_OVERDUE: '',
}

/** ESM-only packages the operator console's TOTP (otplib) pulls in: transformed, the rest of node_modules not. */
const esmOnly = ['/node_modules/(?!(otplib|@otplib|@scure|@noble)/)']

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/{domain,server,api,ui,cloudfunctions,scripts,reliability}/**/*.test.ts'],
      transform,
      transformIgnorePatterns: esmOnly,
      moduleFileExtensions,
    },
    {
      displayName: 'jsdom',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/pages/**/*.test.tsx'],
      transform,
      moduleFileExtensions,
      // A deny-list: an allow-list breaks on @tarojs/taro-h5's nested folders.
      transformIgnorePatterns: [
        '/node_modules/(react|react-dom|scheduler|@babel|core-js|core-js-pure|@testing-library|jsdom|regenerator-runtime|better-sqlite3|valibot|fast-check)/',
      ],
      moduleNameMapper: {
        '^@tarojs/components$': '@tarojs/components/lib/react',
        '^@tarojs/taro$': '<rootDir>/test/support/taro-h5.ts',
        '\\.(css|scss|less)$': '<rootDir>/test/support/style-stub.ts',
      },
      globals: taroGlobals,
      setupFiles: ['<rootDir>/test/support/jsdom-globals.ts', '<rootDir>/test/support/taro-setup.ts'],
    },
    {
      displayName: 'weapp',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/weapp/**/*.test.ts'],
      transform,
      moduleFileExtensions,
      transformIgnorePatterns: [...esmOnly, '<rootDir>/dist/'],
      setupFiles: ['<rootDir>/test/support/jsdom-globals.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform,
      transformIgnorePatterns: esmOnly,
      moduleFileExtensions,
    },
  ],
}
