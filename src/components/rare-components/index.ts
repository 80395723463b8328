// Taro picks index.weapp.ts or index.h5.ts at build time; tools that know no
// platform (tsc, eslint) see the browser one through this file.
export * from './index.h5'
