import React from 'react'
import { createRoot } from 'react-dom/client'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { App } from './App'

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ConfigProvider
      locale={zhCN}
      // No space inserted between two Chinese characters in a button: "登录" reads as one word, to people and to screen readers.
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#07a35a', borderRadius: 6 } }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </React.StrictMode>,
)
