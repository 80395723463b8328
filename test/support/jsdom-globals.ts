// What Node has and Jest's jsdom environment does not pass through, for the in-process local cloud
// behind the page and weapp tests: structuredClone (the Store's transactions copy documents with
// it; v8's serializer is the algorithm structuredClone uses) and setImmediate (the SQLite Store's
// group commit waits for the next turn with it). A setup file: it runs before every test file.
import v8 from 'node:v8'
import { setImmediate as nodeSetImmediate } from 'node:timers'
import { TextDecoder as NodeTextDecoder, TextEncoder as NodeTextEncoder } from 'node:util'

if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = (<T>(value: T): T => v8.deserialize(v8.serialize(value)) as T) as typeof structuredClone
}
if (typeof globalThis.setImmediate !== 'function') {
  globalThis.setImmediate = nodeSetImmediate as typeof setImmediate
}
// The console's TOTP library (otplib, loaded with the local cloud's gateway) encodes with them.
if (typeof globalThis.TextEncoder !== 'function') {
  globalThis.TextEncoder = NodeTextEncoder as typeof TextEncoder
  globalThis.TextDecoder = NodeTextDecoder as typeof TextDecoder
}
