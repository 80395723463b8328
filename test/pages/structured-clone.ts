// Jest's jsdom environment has no structuredClone (Node's global is not passed through), and the
// Store's transactions (server/store-tx.ts) use it: the in-process local cloud behind the page
// tests gets Node's own algorithm (v8's serializer is the one structuredClone uses). Import first.
import v8 from 'node:v8'

if (typeof globalThis.structuredClone !== 'function') {
  globalThis.structuredClone = (<T>(value: T): T => v8.deserialize(v8.serialize(value)) as T) as typeof structuredClone
}
