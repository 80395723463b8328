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
  readonly doc: Doc<unknown> | null
  /** What a write left it as, serialized once as it was written (null: removed); undefined while only read. */
  readonly json: string | null | undefined
  /** The version a write gives it (0 for a removal). */
  readonly version: number
  written: boolean
}

/**
 * A touched document. A write is kept as its JSON, taken when it is written (so a later change to
 * the caller's object is not written): the commit lands that text as it is, and the document is
 * parsed again only if the transaction reads it back.
 */
class Entry implements TxEntry {
  written = false
  json: string | null | undefined = undefined
  private view: Doc<unknown> | null | undefined

  constructor(
    readonly collection: string,
    readonly id: string,
    readonly seenVersion: number,
    found: Doc<unknown> | null,
  ) {
    this.view = found
  }

  version = 0

  get doc(): Doc<unknown> | null {
    if (this.view === undefined) {
      this.view = this.json == null ? null : { id: this.id, version: this.version, data: JSON.parse(this.json) }
    }
    return this.view
  }

  write(version: number, json: string | null): void {
    this.version = version
    this.json = json
    this.view = undefined
    this.written = true
  }
}

/** A document as the caller gets it back from a write: its own copy, parsed only when looked at. */
export function copyOf<T>(id: string, version: number, json: string): Doc<T> {
  let data: T | undefined
  return {
    id,
    version,
    get data(): T {
      if (data === undefined) data = JSON.parse(json) as T
      return data
    },
    set data(value: T) {
      data = value
    },
  }
}

export class BufferedTx implements StoreTx {
  readonly entries = new Map<string, Entry>()

  /**
   * `careful`: this run follows one whose commit failed, so `create` reads like `insert` (the
   * guess that its id was new may be what failed).
   */
  constructor(
    private readonly read: (collection: string, id: string) => Promise<Doc<unknown> | null>,
    private readonly careful = false,
  ) {}

  private async entry(collection: string, id: string): Promise<Entry> {
    const key = JSON.stringify([collection, id])
    let e = this.entries.get(key)
    if (!e) {
      const doc = await this.read(collection, id)
      // Another read of the same document in this run may have landed meanwhile: the first one counts.
      e = this.entries.get(key) ?? new Entry(collection, id, doc?.version ?? 0, doc)
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
    const json = JSON.stringify(data)
    e.write(e.seenVersion + 1, json)
    return { ok: true, doc: copyOf<T>(id, e.seenVersion + 1, json) }
  }

  async create<T>(collection: string, id: string, data: T): Promise<InsertResult<T>> {
    const key = JSON.stringify([collection, id])
    if (this.careful || this.entries.has(key)) return this.insert(collection, id, data)
    // Not read: taken as absent (seen at version 0), which the commit checks as it lands.
    const e = new Entry(collection, id, 0, null)
    this.entries.set(key, e)
    const json = JSON.stringify(data)
    e.write(1, json)
    return { ok: true, doc: copyOf<T>(id, 1, json) }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const e = await this.entry(collection, id)
    if (!e.doc) return { ok: false, reason: 'NOT_FOUND' }
    if (e.doc.version !== expectedVersion) return { ok: false, reason: 'CONFLICT' }
    const json = JSON.stringify(data)
    e.write(expectedVersion + 1, json)
    return { ok: true, doc: copyOf<T>(id, expectedVersion + 1, json) }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    const e = await this.entry(collection, id)
    if (!e.doc || e.doc.version !== expectedVersion) return false
    e.write(0, null)
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
    const tx = new BufferedTx(read, attempt > 1)
    const result = await work(tx)
    if (await commit([...tx.entries.values()])) return result
    await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)))
  }
  throw new TransactionConflict(TX_ATTEMPTS)
}
