/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5'
  }
}

/** WeChat Cloud environment id, injected at build time from KAITONG_CLOUD_ENV ('' = the default env). */
declare const KAITONG_CLOUD_ENV: string
/** Subscribe-message template ids for reminders (WX_TEMPLATE_DUE / WX_TEMPLATE_OVERDUE at build time). */
declare const KAITONG_TEMPLATE_DUE: string
declare const KAITONG_TEMPLATE_OVERDUE: string
