import React from 'react'
import { createRoot } from 'react-dom/client'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { App } from './App'
import './contrast.css'

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <ConfigProvider
      locale={zhCN}
      // No space inserted between two Chinese characters in a button: "登录" reads as one word, to people and to screen readers.
      button={{ autoInsertSpace: false }}
      // Contrast-safe (WCAG 1.4.3, 4.5:1): the green dark enough for white on it and for it on its
      // own light tint (a selected menu item, a link); secondary text darker than antd's 45% black.
      theme={{
        token: {
          colorPrimary: '#087a4c',
          colorSuccess: '#087a4c',
          colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
          colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
          colorTextDescription: 'rgba(0, 0, 0, 0.6)',
          colorTextQuaternary: 'rgba(0, 0, 0, 0.55)',
          colorLink: '#087a4c',
          // Hovered and pressed states darker, not lighter: a pointer over a button never drops its contrast.
          colorPrimaryHover: '#066b43',
          colorPrimaryActive: '#06603c',
          colorLinkHover: '#066b43',
          colorLinkActive: '#06603c',
          colorError: '#c41d1d',
          colorErrorHover: '#a10000',
          colorErrorActive: '#8a0000',
          borderRadius: 6,
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </React.StrictMode>,
)
