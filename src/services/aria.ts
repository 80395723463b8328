// Taro picks aria.weapp.ts or aria.h5.ts at build time.
export * from './aria.h5'
