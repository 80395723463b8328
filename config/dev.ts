// Development build settings (taro build --watch).
import type { UserConfigExport } from '@tarojs/cli'

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  // Preact's hot reload needs Prefresh, which is not installed: the page reloads on a change instead.
  h5: { devServer: { hot: false } },
} satisfies UserConfigExport<'webpack5'>
