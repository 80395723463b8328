// Production build settings: what `npm run build:weapp` / `build:h5` use.
import type { UserConfigExport } from '@tarojs/cli'

export default {
  mini: {},
  h5: {
    // The entry chunk is React + Taro's runtime; splitting it further costs requests, not bytes.
    webpackChain(chain) {
      chain.performance.maxEntrypointSize(512 * 1024).maxAssetSize(512 * 1024)
    },
  },
} satisfies UserConfigExport<'webpack5'>
