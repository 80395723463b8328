// Taro picks platform.weapp.ts or platform.h5.ts at build time; tools that know no platform
// (tsc, eslint) see the browser one through this file.
export * from './platform.h5'
export type { Persona, Platform, WireEnvelope } from './platform-types'
