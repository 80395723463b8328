/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5'
    /** Set by the H5 build: the local cloud's API origin ('' = same origin). */
    KAITONG_API_BASE?: string
  }
}
