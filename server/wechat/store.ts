// The Store port on the WeChat cloud database (wx-server-sdk): documents { _id, v, d }, where v is
// the version that compare-and-set checks with a conditional update.
import type { Doc, IndexSpec, InsertResult, Query, Store, StoreTx, UpdateResult } from '../ports'
import { runOptimistic, type TxEntry } from '../store-tx'

/** The slice of wx-server-sdk's database API this adapter uses (typed loosely: the SDK's types are broad). */
export interface WxDatabase {
  collection(name: string): WxCollection
  command: WxCommand
  /** The SDK runs `callback` again (up to `times`) when the commit answers DATABASE_TRANSACTION_CONFLICT. */
  runTransaction(callback: (t: WxTransaction) => Promise<void>, times?: number): Promise<void>
}
/** Inside db.runTransaction: documents by id only. */
interface WxTransaction {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: Record<string, unknown> | null }>
      set(opts: { data: Record<string, unknown> }): Promise<unknown>
      remove(): Promise<unknown>
    }
  }
}
interface WxCollection {
  /** With `throwOnNotFound: false` (how ports.ts opens the database) a missing document is `data: null`. */
  doc(id: string): { get(): Promise<{ data: Record<string, unknown> | null }> }
  add(opts: { data: Record<string, unknown> }): Promise<{ _id: string }>
  where(cond: Record<string, unknown>): WxQuery
}
interface WxQuery {
  skip(n: number): WxQuery
  remove(): Promise<{ stats: { removed: number } }>
  update(opts: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>
  orderBy(field: string, order: 'asc' | 'desc'): WxQuery
  limit(n: number): WxQuery
  get(): Promise<{ data: Array<Record<string, unknown>> }>
}
interface WxCommand {
  gte(v: unknown): WxCommandValue
  lt(v: unknown): WxCommandValue
  set(v: unknown): unknown
}
interface WxCommandValue {
  and(v: unknown): WxCommandValue
}

/** Thrown inside a commit when a document changed since the work read it. */
const STALE = Symbol('stale')

/** The most documents one cloud-function query returns. */
const PAGE = 100

export class WxStore implements Store {
  private readonly indexes: Map<string, IndexSpec>

  constructor(
    private readonly db: WxDatabase,
    indexes: IndexSpec[],
  ) {
    this.indexes = new Map(indexes.map((i) => [`${i.collection}/${i.name}`, i]))
  }

  async get<T>(collection: string, id: string): Promise<Doc<T> | null> {
    try {
      const { data } = await this.db.collection(collection).doc(id).get()
      return data ? { id, version: data.v as number, data: data.d as T } : null
    } catch (error) {
      if (isMissingDocument(error)) return null
      throw error
    }
  }

  async insert<T>(collection: string, id: string, data: T): Promise<InsertResult<T>> {
    try {
      await this.db.collection(collection).add({ data: { _id: id, v: 1, d: data } })
      return { ok: true, doc: { id, version: 1, data } }
    } catch (error) {
      // The database answers a duplicate _id with a generic request failure; the id being there decides.
      if (await this.get(collection, id)) return { ok: false, reason: 'DUPLICATE' }
      throw error
    }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const _ = this.db.command
    const res = await this.db
      .collection(collection)
      .where({ _id: id, v: expectedVersion })
      .update({ data: { v: expectedVersion + 1, d: _.set(data) } })
    if (res.stats.updated === 1) return { ok: true, doc: { id, version: expectedVersion + 1, data } }
    return { ok: false, reason: (await this.get(collection, id)) ? 'CONFLICT' : 'NOT_FOUND' }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    const res = await this.db.collection(collection).where({ _id: id, v: expectedVersion }).remove()
    return res.stats.removed === 1
  }

  async transact<R>(work: (tx: StoreTx) => Promise<R>): Promise<R> {
    return runOptimistic(
      (c, id) => this.get(c, id),
      (entries) => this.commit(entries),
      work,
    )
  }

  /**
   * One db.runTransaction: every document the work saw is still at the version it saw (read in the
   * transaction, so the database checks them at commit too), then every write lands; or nothing.
   */
  private async commit(entries: TxEntry[]): Promise<boolean> {
    try {
      await this.db.runTransaction(async (t) => {
        for (const e of entries) {
          const { data } = await t.collection(e.collection).doc(e.id).get()
          if (((data?.v as number | undefined) ?? 0) !== e.seenVersion) throw STALE
        }
        for (const e of entries.filter((x) => x.written)) {
          const ref = t.collection(e.collection).doc(e.id)
          if (e.doc === null) await ref.remove()
          else await ref.set({ data: { v: e.doc.version, d: e.doc.data } })
        }
      })
      return true
    } catch (error) {
      // Changed since the work read it, or a conflict the SDK's own retries did not get past: the work runs again.
      if (error === STALE || (error as { code?: unknown })?.code === 'DATABASE_TRANSACTION_CONFLICT') return false
      throw error
    }
  }

  async query<T>(collection: string, q: Query): Promise<Doc<T>[]> {
    const spec = this.indexes.get(`${collection}/${q.index}`)
    if (!spec) throw new Error(`no index ${q.index} on ${collection}`)
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000) throw new RangeError('limit must be 1–1000')
    const _ = this.db.command
    const cond: Record<string, unknown> = { [`d.${spec.eq}`]: q.eq }
    if (spec.range && (q.gte !== undefined || q.lt !== undefined)) {
      cond[`d.${spec.range}`] =
        q.gte !== undefined && q.lt !== undefined
          ? _.gte(q.gte).and(_.lt(q.lt))
          : q.gte !== undefined
            ? _.gte(q.gte)
            : _.lt(q.lt)
    }
    // A cloud-function query returns at most 100 documents a call: page with skip until `limit`.
    const out: Doc<T>[] = []
    while (out.length < q.limit) {
      let query = this.db.collection(collection).where(cond)
      query = spec.range ? query.orderBy(`d.${spec.range}`, q.order ?? 'asc') : query.orderBy('_id', 'asc')
      const page = Math.min(PAGE, q.limit - out.length)
      const { data } = await query.skip(out.length).limit(page).get()
      for (const row of data) out.push({ id: row._id as string, version: row.v as number, data: row.d as T })
      if (data.length < page) break
    }
    return out
  }
}

/**
 * The SDK's "no such document" (errCode -1, `document with _id … does not exist`), when the
 * database throws on it. Not a missing collection (-502005): that is a deployment missing its
 * collections, and must fail loudly rather than read as "nobody here".
 */
function isMissingDocument(error: unknown): boolean {
  const e = error as { errCode?: unknown; message?: unknown }
  return e?.errCode === -1 && typeof e.message === 'string' && /document with _id .* does not exist/.test(e.message)
}
