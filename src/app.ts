// The mini-program's root: theme, global styles and (in WeChat only) the cloud SDK.
import type { PropsWithChildren } from 'react'
import Taro, { useLaunch } from '@tarojs/taro'
import '@nutui/nutui-react-taro/dist/styles/themes/default.css'
import './app.scss'
import './services/aria'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    if (process.env.TARO_ENV === 'weapp') {
      Taro.cloud.init({ env: KAITONG_CLOUD_ENV || undefined, traceUser: true })
    }
  })
  return children
}

export default App
