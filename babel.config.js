// Babel for Taro builds (weapp + H5) and for jest; NutUI is imported per component so that
// neither the bundle nor jsdom pulls its UMD build (whose lottie code crashes in jsdom).
const nutuiImport = [
  'import',
  {
    libraryName: '@nutui/nutui-react-taro',
    libraryDirectory: 'dist/es/packages',
    camel2DashComponentName: false,
    customName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`,
    customStyleName: (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}/style/css`,
  },
  'nutui-react-taro',
]

// The H5 face runs in today's browsers (WeChat's built-in browser, Safari, Chrome): native
// classes, async/await, spread and optional chaining, no regenerator. The weapp build keeps package.json's browserslist.
const H5_TARGETS = { chrome: '80', safari: '13.1', ios: '13.4' }

module.exports = (api) => {
  const isTest = api.env('test')
  if (isTest) {
    return {
      presets: [
        ['@babel/preset-env', { targets: { node: 'current' } }],
        ['@babel/preset-react', { runtime: 'automatic' }],
        '@babel/preset-typescript',
      ],
      plugins: [nutuiImport],
    }
  }
  return {
    presets: [
      [
        'taro',
        {
          // The builds render with Preact (config/index.ts). No hot reload (it would want Prefresh,
          // not installed): a watch build reloads the page instead (config/dev.ts).
          framework: 'preact',
          hot: false,
          ts: true,
          compiler: 'webpack5',
          ...(process.env.TARO_ENV === 'h5' ? { targets: H5_TARGETS } : {}),
        },
      ],
    ],
    plugins: [nutuiImport],
  }
}
