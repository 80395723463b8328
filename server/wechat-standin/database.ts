// The cloud database behind the stand-in: collections of documents with CloudBase's documented
// semantics, as the SDK's `database.*` actions ask for them. Queries and updates are MongoDB's, and
// are evaluated by mingo (a maintained implementation of MongoDB's query and update language), not
// by hand: `_id` is unique per collection; a query returns 100 documents unless it asks for more,
// and never more than 1,000; `multi` updates every match; `merge: false` replaces the document
// (`doc().set`, which creates it when missing); a transaction works on documents by id, sees its
// own writes, and its commit fails with DATABASE_TRANSACTION_CONFLICT when a document it read or
// wrote changed meanwhile. Collections must be created first (`database.addCollection`), as a
// deployment creates them in the console.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { EJSON } from 'bson'
import { find, update as applyUpdate } from 'mingo'

type Doc = Record<string, unknown> & { _id: string }

/** What a database action answers: data (or a top-level field such as transactionId), or an error code. */
export type DbAnswer = { data?: unknown; [key: string]: unknown } | { code: string; message: string }

/** The request fields the database actions use (everything else in the body is ignored). */
export interface DbRequest {
  action: string
  collectionName?: string
  queryType?: 'DOC' | 'WHERE'
  query?: string
  data?: string | string[]
  order?: string
  offset?: number
  limit?: number
  projection?: string
  multi?: boolean
  merge?: boolean
  upsert?: boolean
  transactionId?: string
}

/** The most documents one query returns, and what it returns when it names no limit. */
const MAX_LIMIT = 1000
const DEFAULT_LIMIT = 100
/** How long a transaction lives without being committed or aborted (CloudBase's own timeout). */
const TRANSACTION_TTL_MS = 30_000

interface Transaction {
  startedAt: number
  /** The revision of each document (by collection/id) when the transaction first saw it; 0 = absent. */
  seen: Map<string, number>
  /** The transaction's own writes: the document as it will be, or null for removed. */
  writes: Map<string, Doc | null>
}

const fail = (code: string, message: string): DbAnswer => ({ code, message })

export class StandinDatabase {
  private readonly collections = new Map<string, Map<string, Doc>>()
  /** Every write bumps a document's revision: transactions detect conflicts by it. */
  private readonly revisions = new Map<string, number>()
  private readonly transactions = new Map<string, Transaction>()
  /** The changes of the request being answered, appended to the journal when it is done. */
  private pending: JournalEntry[] = []

  /**
   * `file`: where the database is kept between runs, or none. It is a journal: each answered write
   * appends its changes as one EJSON line (synchronously, before the SDK hears the answer, so a
   * kill -9 loses nothing acknowledged); a start replays it and compacts it to one line per document.
   */
  constructor(
    private readonly file: string | null = null,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (file && fs.existsSync(file)) this.load(file)
  }

  /** Everything gone, collections too (a fresh environment). */
  reset(): void {
    this.collections.clear()
    this.revisions.clear()
    this.transactions.clear()
    this.pending = []
    if (this.file && fs.existsSync(this.file)) fs.writeFileSync(this.file, '')
  }

  collectionNames(): string[] {
    return [...this.collections.keys()]
  }

  /** The documents of a collection as stored (for tests and the at-rest scan). */
  documents(collection: string): Doc[] {
    return [...(this.collections.get(collection)?.values() ?? [])]
  }

  handle(req: DbRequest): DbAnswer {
    try {
      return this.dispatch(req)
    } catch (error) {
      if (error instanceof InvalidParam) return fail('INVALID_PARAM', error.message)
      return fail('DATABASE_REQUEST_FAILED', error instanceof Error ? error.message : String(error))
    }
  }

  private dispatch(req: DbRequest): DbAnswer {
    switch (req.action) {
      case 'database.addCollection':
        return this.addCollection(req.collectionName)
      case 'database.startTransaction': {
        const id = crypto.randomBytes(12).toString('hex')
        // Abandoned ones (never committed or aborted) expire.
        for (const [t, tx] of this.transactions)
          if (this.now() - tx.startedAt > TRANSACTION_TTL_MS) this.transactions.delete(t)
        this.transactions.set(id, { startedAt: this.now(), seen: new Map(), writes: new Map() })
        return { transactionId: id }
      }
      case 'database.commitTransaction':
        return this.commit(req.transactionId)
      case 'database.abortTransaction':
        if (!req.transactionId || !this.transactions.delete(req.transactionId))
          return fail('DATABASE_TRANSACTION_FAIL', `no transaction ${req.transactionId}`)
        return {}
    }
    const name = req.collectionName
    if (!name) return fail('INVALID_PARAM', 'collectionName is required')
    const collection = this.collections.get(name)
    if (!collection) return fail('DATABASE_COLLECTION_NOT_EXIST', `collection ${name} does not exist`)
    if (req.transactionId) return this.inTransaction(req, name)
    switch (req.action) {
      case 'database.getDocument':
        return { data: { list: this.select(collection, req).map(out) } }
      case 'database.calculateDocument':
        return { data: { total: this.matching(collection, req).length } }
      case 'database.insertDocument':
        return this.insert(name, collection, req)
      case 'database.modifyDocument':
        return this.modify(name, collection, req)
      case 'database.removeDocument': {
        const docs = this.matching(collection, req)
        const gone = req.multi ? docs : docs.slice(0, 1)
        for (const d of gone) this.write(name, d._id, null)
        if (gone.length) this.persist()
        return { data: { deleted: gone.length } }
      }
    }
    return fail('INVALID_PARAM', `unsupported action ${req.action}`)
  }

  private addCollection(name: string | undefined): DbAnswer {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(name))
      return fail('INVALID_PARAM', `invalid collection name ${name}`)
    if (this.collections.has(name))
      return fail('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`)
    this.collections.set(name, new Map())
    this.pending.push({ create: name })
    this.persist()
    return {}
  }

  /** The documents the query matches, in the order asked. */
  private matching(collection: Map<string, Doc>, req: DbRequest): Doc[] {
    const criteria = req.query ? (decode(req.query) as Record<string, unknown>) : {}
    const cursor = find([...collection.values()], criteria)
    const order = req.order ? (decode(req.order) as Record<string, 1 | -1>) : null
    return (order && Object.keys(order).length ? cursor.sort(order) : cursor).all() as Doc[]
  }

  /** A page of them: offset, then at most `limit` (100 unless asked, never over 1,000), then the projection. */
  private select(collection: Map<string, Doc>, req: DbRequest): Record<string, unknown>[] {
    const docs = this.matching(collection, req)
    if (req.limit !== undefined && (!Number.isSafeInteger(req.limit) || req.limit < 1))
      throw new InvalidParam(`limit must be a positive integer, not ${String(req.limit)}`)
    if (req.offset !== undefined && (!Number.isSafeInteger(req.offset) || req.offset < 0))
      throw new InvalidParam(`offset must be a non-negative integer, not ${String(req.offset)}`)
    const limit = req.queryType === 'DOC' ? 1 : Math.min(req.limit ?? DEFAULT_LIMIT, MAX_LIMIT)
    const page = docs.slice(req.offset ?? 0, (req.offset ?? 0) + limit)
    return req.projection ? page.map((d) => project(d, decode(req.projection!) as Record<string, 0 | 1>)) : page
  }

  private insert(name: string, collection: Map<string, Doc>, req: DbRequest): DbAnswer {
    const list = Array.isArray(req.data) ? req.data : req.data ? [req.data] : []
    const docs = list.map((s) => withServerDates(decode(s) as Record<string, unknown>, this.now()))
    const ids: string[] = []
    for (const d of docs) {
      const id = d._id === undefined ? crypto.randomBytes(16).toString('hex') : d._id
      if (typeof id !== 'string') return fail('DATABASE_REQUEST_FAILED', '_id must be a string')
      if (collection.has(id) || ids.includes(id))
        return fail(
          'DATABASE_REQUEST_FAILED',
          `E11000 duplicate key error collection: ${name} index: _id_ dup key: { _id: "${id}" }`,
        )
      ids.push(id)
    }
    docs.forEach((d, i) => this.write(name, ids[i], { ...d, _id: ids[i] }))
    this.persist()
    return { data: { insertedIds: ids } }
  }

  private modify(name: string, collection: Map<string, Doc>, req: DbRequest): DbAnswer {
    const data = withServerDates(decode(String(req.data ?? '{}')) as Record<string, unknown>, this.now())
    if (!req.merge) {
      // doc().set(): the whole document replaced, or created when missing (upsert).
      const id = (req.query ? (decode(req.query) as { _id?: unknown })._id : undefined) as string | undefined
      if (typeof id !== 'string') return fail('INVALID_PARAM', 'set needs a document id')
      const existed = collection.has(id)
      if (!existed && !req.upsert) return { data: { updated: 0 } }
      this.write(name, id, { ...data, _id: id })
      this.persist()
      return { data: existed ? { updated: 1 } : { updated: 0, upsert_id: id } }
    }
    const matched = this.matching(collection, req)
    const targets = req.multi ? matched : matched.slice(0, 1)
    // Every target is computed first: one refused update (a type error) writes nothing.
    const changes = targets.map((d) => [d, updated(d, data)] as const).filter(([d, next]) => !same(d, next))
    for (const [d, next] of changes) this.write(name, d._id, next)
    this.persist()
    // What MongoDB calls nModified: the documents that changed, not those matched.
    return { data: { updated: changes.length } }
  }

  // ---- transactions: documents by id only ----

  private inTransaction(req: DbRequest, name: string): DbAnswer {
    const tx = this.live(req.transactionId)
    if (!tx) return fail('DATABASE_TRANSACTION_FAIL', `no transaction ${req.transactionId} (or it expired)`)
    const query = req.query ? (decode(req.query) as Record<string, unknown>) : {}
    // An insert names its document in the data (collection.add sends no query): one document, its _id or a new one.
    const list = Array.isArray(req.data) ? req.data : [String(req.data ?? '{}')]
    const inserting = req.action === 'database.insertDocument' ? (decode(list[0]) as Record<string, unknown>) : null
    if (inserting && list.length !== 1)
      return fail('DATABASE_TRANSACTION_FAIL', 'a transaction inserts one document at a time')
    if (inserting && !req.query) query._id = inserting._id ?? crypto.randomBytes(16).toString('hex')
    const id = query._id
    if (typeof id !== 'string' || Object.keys(query).length !== 1)
      return fail('DATABASE_TRANSACTION_FAIL', 'a transaction reads and writes documents by _id only')
    const key = `${name}/${id}`
    const current = (): Doc | null => {
      if (tx.writes.has(key)) return tx.writes.get(key)!
      if (!tx.seen.has(key)) tx.seen.set(key, this.revisions.get(key) ?? 0)
      return this.collections.get(name)!.get(id) ?? null
    }
    switch (req.action) {
      case 'database.getDocument': {
        const doc = current()
        return { data: { list: doc ? [out(doc)] : [] } }
      }
      case 'database.insertDocument': {
        if (current())
          return fail(
            'DATABASE_REQUEST_FAILED',
            `E11000 duplicate key error collection: ${name} index: _id_ dup key: { _id: "${id}" }`,
          )
        tx.writes.set(key, { ...withServerDates(inserting!, this.now()), _id: id })
        return { data: { insertedIds: [id] } }
      }
      case 'database.modifyDocument': {
        const doc = current()
        const data = withServerDates(decode(String(req.data ?? '{}')) as Record<string, unknown>, this.now())
        if (!req.merge) {
          if (!doc && !req.upsert) return { data: { updated: 0 } }
          tx.writes.set(key, { ...data, _id: id })
          return { data: doc ? { updated: 1 } : { updated: 0, upsert_id: id } }
        }
        if (!doc) return { data: { updated: 0 } }
        const next = updated(doc, data)
        if (same(doc, next)) return { data: { updated: 0 } }
        tx.writes.set(key, next)
        return { data: { updated: 1 } }
      }
      case 'database.removeDocument': {
        const doc = current()
        if (!doc) return { data: { deleted: 0 } }
        tx.writes.set(key, null)
        return { data: { deleted: 1 } }
      }
    }
    return fail('DATABASE_TRANSACTION_FAIL', `${req.action} is not allowed in a transaction`)
  }

  /** The transaction, unless unknown or expired (then it is gone). */
  private live(id: string | undefined): Transaction | null {
    const tx = id ? this.transactions.get(id) : undefined
    if (!tx) return null
    if (this.now() - tx.startedAt > TRANSACTION_TTL_MS) {
      this.transactions.delete(id!)
      return null
    }
    return tx
  }

  /**
   * All or nothing. It aborts when a document it read or wrote was changed by anyone else since it
   * first saw it: stricter than snapshot isolation (a document only read conflicts too), which
   * keeps the adapters honest about what they read.
   */
  private commit(id: string | undefined): DbAnswer {
    const tx = this.live(id)
    if (!tx) return fail('DATABASE_TRANSACTION_FAIL', `no transaction ${id} (or it expired)`)
    this.transactions.delete(id!)
    for (const [key, rev] of tx.seen)
      if ((this.revisions.get(key) ?? 0) !== rev)
        return fail(
          'DATABASE_TRANSACTION_CONFLICT',
          `document ${key} was changed by another operation during the transaction`,
        )
    for (const [key, doc] of tx.writes) {
      const [collection, ...rest] = key.split('/')
      this.write(collection, rest.join('/'), doc)
    }
    if (tx.writes.size) this.persist()
    return {}
  }

  private write(collection: string, id: string, doc: Doc | null): void {
    const key = `${collection}/${id}`
    const c = this.collections.get(collection)!
    if (doc) c.set(id, doc)
    else c.delete(id)
    this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1)
    this.pending.push({ c: collection, id, doc })
  }

  // ---- kept between runs ----

  private persist(): void {
    const entries = this.pending
    this.pending = []
    if (!this.file) return
    if (entries.length === 0 && fs.existsSync(this.file)) return
    fs.mkdirSync(path.dirname(this.file), { recursive: true })
    // One append per answered request: a transaction's writes land together or (torn by a crash) not at all.
    const line = entries.length ? `${EJSON.stringify(entries, { relaxed: false })}\n` : ''
    try {
      fs.appendFileSync(this.file, line, { mode: 0o600 })
    } catch (error) {
      // Not on disk, so not done: memory goes back to what the journal holds, and the caller hears the error.
      this.collections.clear()
      this.revisions.clear()
      if (fs.existsSync(this.file)) this.load(this.file)
      throw error
    }
  }

  private load(file: string): void {
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    // What follows the last newline is a write torn by a crash mid-append: never answered, so never done.
    lines.pop()
    for (const [i, line] of lines.entries()) {
      if (line === '') continue
      let entries: JournalEntry[]
      try {
        entries = EJSON.parse(line, { relaxed: true }) as JournalEntry[]
      } catch (error) {
        // A whole line that does not parse is damage, not a torn write: stop rather than lose it in a compaction.
        throw new Error(`${file}: line ${i + 1} is not EJSON (${String(error)})`)
      }
      for (const e of entries) {
        if ('create' in e) this.collections.set(e.create, this.collections.get(e.create) ?? new Map())
        else if (e.doc) this.collections.get(e.c)?.set(e.id, e.doc)
        else this.collections.get(e.c)?.delete(e.id)
      }
    }
    // Compact: the collections, then each document once.
    const snapshot: JournalEntry[][] = [[...this.collections.keys()].map((name) => ({ create: name }))]
    for (const [c, docs] of this.collections) for (const [id, doc] of docs) snapshot.push([{ c, id, doc }])
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, snapshot.map((e) => EJSON.stringify(e, { relaxed: false })).join('\n') + '\n', {
      mode: 0o600,
    })
    fs.renameSync(tmp, file)
  }
}

/** One change in the journal: a collection created, or a document written (null: removed). */
type JournalEntry = { create: string } | { c: string; id: string; doc: Doc | null }

/** What the SDK sends: canonical EJSON text. */
function decode(text: string): unknown {
  return EJSON.parse(text, { relaxed: true })
}

/** What the SDK reads back: each document as EJSON text (canonical, so Dates and big integers keep their types). */
function out(doc: Record<string, unknown>): string {
  return EJSON.stringify(doc, { relaxed: false })
}

/** `db.serverDate()` arrives as { $tcb_server_date: { offset } }: the server's clock, moved by the offset. */
function withServerDates<T>(value: T, now: number): T {
  if (Array.isArray(value)) return value.map((v) => withServerDates(v, now)) as T
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const marker = (value as { $tcb_server_date?: { offset?: number } }).$tcb_server_date
    if (marker !== undefined && Object.keys(value).length === 1) return new Date(now + (marker.offset ?? 0)) as T
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withServerDates(v, now)])) as T
  }
  return value
}

/** The document after an update expression: operators ($set, $inc, $unset, $push…) applied by mingo; `_id` kept. */
function updated(doc: Doc, expression: Record<string, unknown>): Doc {
  const copy = structuredClone(doc)
  if (Object.keys(expression).some((k) => !k.startsWith('$')))
    throw new Error('an update needs operators ($set, $inc…)')
  // mingo skips an operator whose field has the wrong type; the database refuses the write.
  for (const [op, fields] of Object.entries(expression)) {
    const wants = NUMERIC.has(op) ? 'number' : ARRAY.has(op) ? 'array' : null
    if (!wants) continue
    for (const [field, operand] of Object.entries(fields as Record<string, unknown>)) {
      const value = at(doc, field)
      const ok = value === undefined || (wants === 'number' ? typeof value === 'number' : Array.isArray(value))
      if (!ok || (wants === 'number' && typeof operand !== 'number'))
        throw new Error(`Cannot apply ${op} to ${field}: it is not ${wants === 'number' ? 'a number' : 'an array'}`)
    }
  }
  applyUpdate(copy, expression as Parameters<typeof applyUpdate>[1], undefined, undefined, { cloneMode: 'deep' })
  return { ...copy, _id: doc._id }
}

function project(doc: Doc, projection: Record<string, 0 | 1>): Record<string, unknown> {
  const cursor = find([doc], {}, projection)
  return cursor.all()[0] as Record<string, unknown>
}

const NUMERIC = new Set(['$inc', '$mul'])
const ARRAY = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop'])

/** The value at a dotted path, if any. */
function at(doc: Record<string, unknown>, field: string): unknown {
  let v: unknown = doc
  for (const key of field.split('.'))
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
  return v
}

/** Whether an update changed nothing. */
function same(a: Doc, b: Doc): boolean {
  return EJSON.stringify(a, { relaxed: false }) === EJSON.stringify(b, { relaxed: false })
}

/** A request the database refuses as malformed (INVALID_PARAM), not as a failed operation. */
class InvalidParam extends Error {}
