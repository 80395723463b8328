// Taro build config for both faces of the mini-program: weapp (dist/) and H5 (dist-h5/).
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

/**
 * `text` with `from` replaced, where Taro's generated code is changed at build time; a build whose
 * Taro no longer writes `from` stops here rather than ship an app that fails when it starts.
 */
function patched(text: string, from: string | RegExp, to: string, what: string): string {
  const out = text.replace(from, to)
  if (out === text)
    throw new Error(`config/index.ts: Taro's generated code changed; cannot patch ${what} (${String(from)})`)
  return out
}

/** Edits of the loader metadata Taro's plugin (`miniPlugin`, `mainPlugin`) generates the app's entry from, each checked. */
function patchLoaderMeta(
  chain: { plugin: (name: string) => { tap: (f: (args: Array<Record<string, unknown>>) => unknown[]) => unknown } },
  plugin: string,
  edits: Array<[field: string, from: string | RegExp, to: string, what: string]>,
): void {
  chain.plugin(plugin).tap(([options, ...rest]) => {
    const meta = options.loaderMeta as Record<string, string>
    for (const [field, from, to, what] of edits) meta[field] = patched(meta[field], from, to, what)
    return [options, ...rest]
  })
}

export default defineConfig<'webpack5'>(async (merge) => {
  const isH5 = process.env.TARO_ENV === 'h5'
  const base: UserConfigExport<'webpack5'> = {
    projectName: 'kaitong',
    date: '2026-11-28',
    // NutUI is drawn at 375; our own styles at 750.
    designWidth(input) {
      const file = typeof input === 'object' && input ? (input as { file?: string }).file : ''
      return file && file.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    plugins: ['@tarojs/plugin-html', path.resolve(__dirname, 'aria-attributes.js')],
    defineConstants: {
      KAITONG_CLOUD_ENV: JSON.stringify(process.env.KAITONG_CLOUD_ENV ?? ''),
      KAITONG_TEMPLATE_DUE: JSON.stringify(process.env.WX_TEMPLATE_DUE ?? ''),
      KAITONG_TEMPLATE_OVERDUE: JSON.stringify(process.env.WX_TEMPLATE_OVERDUE ?? ''),
    },
    // The same React code runs on Preact (preact/compat): in the browser ~4 KB gzip instead of React
    // DOM's 44 KB, and in WeChat instead of React and Taro's reconciler (97 KB of the main package).
    framework: 'preact',
    compiler: {
      type: 'webpack5',
      prebundle: { enable: false, exclude: ['@nutui/nutui-react-taro', '@nutui/icons-react-taro'] },
    },
    cache: { enable: false },
    mini: {
      // Taro 4.2's runtime renders through ReactDOM.createRoot when the framework says it is React 18,
      // as preact/compat does; createRoot lives in preact/compat/client, so the app gets both.
      webpackChain(chain) {
        patchLoaderMeta(chain, 'miniPlugin', [
          [
            'importFrameworkStatement',
            "import ReactDOM from 'react-dom'",
            "import ReactDOMCompat from 'react-dom'\nimport { createRoot } from 'preact/compat/client'\nconst ReactDOM = Object.assign({}, ReactDOMCompat, { createRoot })",
            'createRoot for the weapp runtime',
          ],
        ])
      },
      // Keep modules used only by a subpackage out of the main package.
      optimizeMainPackage: { enable: true },
      // NutUI's per-component stylesheets do not depend on each other's order.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      // NutUI's ariaRole (WeChat's attribute) as the browser's role: config/aria-role-loader.js.
      webpackChain(chain) {
        chain.module
          .rule('nutui-aria-role')
          .test(/@nutui[\\/]nutui-react-taro[\\/]dist[\\/].*\.js$/)
          .use('aria-role')
          .loader(path.resolve(__dirname, 'aria-role-loader.js'))
        // NutUI's icon barrel is marked as having side effects (it imports the icons' stylesheet), so
        // each page chunk held every icon any page uses; without the mark a chunk holds only the
        // icons it imports, and the stylesheet comes with the app's (below).
        chain.module
          .rule('nutui-icons-barrel')
          .test(/@nutui[\\/]icons-react-taro[\\/]dist[\\/]es[\\/]index\.es\.js$/)
          .set('sideEffects', false)
        chain.entry('app').add('@nutui/icons-react-taro/dist/style_icon.css')
        // No page pulls down to refresh (enablePullDownRefresh), so Taro's pull-to-refresh web
        // component need not be registered before the app starts.
        // Its import and its call go together, or the build stops (a call left without its import is a blank page).
        patchLoaderMeta(chain, 'mainPlugin', [
          [
            'extraImportForWeb',
            /import \{ defineCustomElementTaroPullToRefreshCore \}[^\n]*\n/,
            '',
            "pull-to-refresh's import",
          ],
          [
            'execBeforeCreateWebApp',
            'defineCustomElementTaroPullToRefreshCore()\n',
            '',
            "pull-to-refresh's registration",
          ],
        ])
      },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // The tab bar's icons as files, not data URLs inside the entry's JS.
      imageUrlLoaderOption: { limit: 1 },
      miniCssExtractPluginOption: { ignoreOrder: true },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: { selectorBlackList: ['nut-'] } },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  }
  return merge({}, base, process.env.NODE_ENV === 'development' ? devConfig : prodConfig)
})
