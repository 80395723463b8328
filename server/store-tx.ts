// The Store's transactions, optimistically: `work` reads through a buffer that remembers the version
// of everything it saw and keeps its writes; the adapter's commit then checks, atomically, that
// nothing it saw has changed and applies the writes (SQLite: one synchronous transaction; WeChat:
// db.runTransaction). A changed document means `work` runs again on fresh reads.
import { TransactionConflict, type Doc, type InsertResult, type StoreTx, type UpdateResult } from './ports'

/** One document the transaction touched: where, the version it found (0: absent), and what it will be. */
export interface TxEntry {
  collection: string
  id: string
  /** The version when the transaction first read it; 0 when it was not there. */
  seenVersion: number
  /** What it is now in the transaction's view (null: absent). */
  doc: Doc<unknown> | null
  written: boolean
}

export class BufferedTx implements StoreTx {
  readonly entries = new Map<string, TxEntry>()

  constructor(private readonly read: (collection: string, id: string) => Promise<Doc<unknown> | null>) {}

  private async entry(collection: string, id: string): Promise<TxEntry> {
    const key = JSON.stringify([collection, id])
    let e = this.entries.get(key)
    if (!e) {
      const doc = await this.read(collection, id)
      // Another read of the same document in this run may have landed meanwhile: the first one counts.
      e = this.entries.get(key) ?? { collection, id, seenVersion: doc?.version ?? 0, doc, written: false }
      this.entries.set(key, e)
    }
    return e
  }

  async get<T>(collection: string, id: string): Promise<Doc<T> | null> {
    const e = await this.entry(collection, id)
    return e.doc ? (structuredClone(e.doc) as Doc<T>) : null
  }

  async insert<T>(collection: string, id: string, data: T): Promise<InsertResult<T>> {
    const e = await this.entry(collection, id)
    if (e.doc) return { ok: false, reason: 'DUPLICATE' }
    e.doc = { id, version: e.seenVersion + 1, data: structuredClone(data) }
    e.written = true
    return { ok: true, doc: structuredClone(e.doc) as Doc<T> }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const e = await this.entry(collection, id)
    if (!e.doc) return { ok: false, reason: 'NOT_FOUND' }
    if (e.doc.version !== expectedVersion) return { ok: false, reason: 'CONFLICT' }
    e.doc = { id, version: expectedVersion + 1, data: structuredClone(data) }
    e.written = true
    return { ok: true, doc: structuredClone(e.doc) as Doc<T> }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    const e = await this.entry(collection, id)
    if (!e.doc || e.doc.version !== expectedVersion) return false
    e.doc = null
    e.written = true
    return true
  }
}

/** How many times `work` runs before the transaction gives up. */
export const TX_ATTEMPTS = 10

/**
 * Runs `work` on a fresh buffer until `commit` applies it (true) or the attempts run out. `commit`
 * answers false when a document the buffer saw has changed since. Between attempts it waits a
 * random while that doubles each time (up to 0.1 s), so that writers contending for one document
 * take turns instead of colliding again.
 */
export async function runOptimistic<R>(
  read: (collection: string, id: string) => Promise<Doc<unknown> | null>,
  commit: (entries: TxEntry[]) => Promise<boolean>,
  work: (tx: StoreTx) => Promise<R>,
): Promise<R> {
  for (let attempt = 1; attempt <= TX_ATTEMPTS; attempt++) {
    const tx = new BufferedTx(read)
    const result = await work(tx)
    if (await commit([...tx.entries.values()])) return result
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)))
  }
  throw new TransactionConflict(TX_ATTEMPTS)
}
