// Taro picks pdf.weapp.ts or pdf.h5.ts at build time; tools that know no platform (tsc, eslint)
// see the browser one through this file.
export * from './pdf.h5'
