// The Store port on one SQLite file (better-sqlite3): documents as JSON, versions for compare-and-set.
import Database from 'better-sqlite3'
import { createRequire } from 'node:module'
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads'
import fs from 'node:fs'
import path from 'node:path'
import type { Doc, IndexSpec, InsertResult, Query, Store, StoreTx, UpdateResult } from '../../ports'
import { copyOf, runOptimistic, type TxEntry } from '../../store-tx'

/** Schema migrations, applied in order; PRAGMA user_version records how far a file has come. */
const MIGRATIONS: string[] = [
  `CREATE TABLE docs (
     collection TEXT NOT NULL,
     id TEXT NOT NULL,
     version INTEGER NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (collection, id)
   ) WITHOUT ROWID`,
  // Rows in the order they arrive (a rowid table), found by (collection, id) through a unique index.
  // Keyed by (collection, id) itself, every new receipt, audit entry or loan (ids that are hashes)
  // landed on a random leaf of one big tree, splitting it: each commit rewrote about 25 pages per
  // transaction (300 KB a drawdown to the WAL). Appended, new rows share the last pages, and only
  // the small key index is written at random: a drawdown costs a third less time and the file is
  // 40% smaller (BENCHMARKS.md).
  `CREATE TABLE docs_by_arrival (
     rid INTEGER PRIMARY KEY,
     collection TEXT NOT NULL,
     id TEXT NOT NULL,
     version INTEGER NOT NULL,
     data TEXT NOT NULL
   );
   INSERT INTO docs_by_arrival (collection, id, version, data) SELECT collection, id, version, data FROM docs;
   DROP TABLE docs;
   ALTER TABLE docs_by_arrival RENAME TO docs;
   CREATE UNIQUE INDEX docs_key ON docs (collection, id);`,
]

/**
 * The next turn of the event loop, after the I/O already waiting (other requests' writes join the
 * batch). Taken when this module loads, so that a test's fake timers never hold a commit back; a
 * browser-like environment (jsdom) without setImmediate gets a zero timeout.
 */
const nextTurn: (run: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (run) => void setTimeout(run, 0)

/**
 * The background checkpointer: its own connection to the file, checkpointing what the WAL holds
 * (PASSIVE: never waits for a writer) every 10 ms. Often, so each copy is small: at 100 ms a
 * checkpoint copied some 30 MB under load and its fsync of the database held the writer's fsync
 * back for 30 ms and more — the drawdown's p99 was 60–70 ms; at 10–20 ms it is 44–46 ms.
 */
const CHECKPOINTER = `
const { workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('busy_timeout = 1000')
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Busy or closing: the next turn, or the commit-time checkpoint, does it.
  }
}, 10)
`

function startCheckpointer(file: string): Worker {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { file, driver: createRequire(__filename).resolve('better-sqlite3') },
  })
  // It never keeps the process alive, and an error in it is the commit-time checkpoint's to cover.
  worker.unref()
  worker.on('error', () => undefined)
  return worker
}

/** One write as data, for the group commit (sqlite-writes.cjs runs it, on whichever thread writes). */
type Write =
  | { kind: 'insert'; collection: string; id: string; json: string }
  | { kind: 'update'; collection: string; id: string; expected: number; json: string }
  | { kind: 'remove'; collection: string; id: string; expected: number }
  | {
      kind: 'commit'
      entries: Array<{
        collection: string
        id: string
        seenVersion: number
        written: boolean
        version: number
        /** What lands (null: removed, or only read). */
        json: string | null
      }>
    }

/** A write's outcome: its answer, "stale" (a transaction to run again), or its own error. */
type Outcome = { ok: true; value: unknown } | { ok: false; stale: true } | { ok: false; error: unknown }

type CommitGroup = (writes: Write[], relaxedOnly: boolean) => Outcome[]

/** A group the background writer committed: each write's outcome, and the writer's own time on it. */
interface Committed {
  outcomes: Outcome[]
  ms: number
}

const writes = createRequire(__filename)('./sqlite-writes.cjs') as {
  groupCommitter: (db: Database.Database) => CommitGroup
}

/** A write waiting for the group commit. */
interface PendingWrite {
  write: Write
  relaxed: boolean
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** An error the background writer reported, as an Error again (its SQLite code kept). */
function revive(e: PlainError): Error {
  // As the inline path throws them: SQLite's own errors as better-sqlite3's SqliteError, with its code.
  if (e.name === 'SqliteError' && e.code) return new Database.SqliteError(e.message, e.code)
  const error = e.name === 'TypeError' ? new TypeError(e.message) : new Error(e.message)
  if (e.code) Object.assign(error, { code: e.code })
  return error
}

/**
 * The background writer: a worker thread with its own connection to the file, committing each
 * group the store sends. One group is in flight at a time (the next one gathers meanwhile), so
 * groups commit in the order they were asked for.
 */
class BackgroundWriter {
  private readonly worker: Worker
  private readonly port: MessagePort
  /** Bumped by the worker after each answer, for a store that waits synchronously (close). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4))
  private seq = 0
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  private broken: Error | null = null

  constructor(
    file: string,
    walAutocheckpoint: number | undefined,
    private readonly onStopped: (error: Error) => void,
  ) {
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    this.worker = new Worker(path.join(__dirname, 'sqlite-writer.cjs'), {
      workerData: {
        file,
        driver: createRequire(__filename).resolve('better-sqlite3'),
        port: port2,
        signal: this.signal,
        walAutocheckpoint,
      },
      transferList: [port2],
    })
    this.port.on('message', (m: Answer) => this.settle(m))
    // Not at a close: the writer died, and the store can no longer write — whoever runs it is told.
    const died = (error: Error) => {
      if (!this.broken) this.onStopped(error)
      this.fail(error)
    }
    this.worker.on('error', died)
    this.worker.on('exit', (code) =>
      died(new TypeError(`The database connection is not open (writer exited: ${code})`)),
    )
    this.worker.unref()
    this.port.unref()
  }

  /**
   * A writer that died, or a close that could not wait for it: what still waits is refused, and
   * so is every write after. A group it was committing may or may not be on disk — the error says
   * so; a retry of the request finds out (requests are idempotent).
   */
  private fail(error: unknown): void {
    if (!this.broken) this.broken = error instanceof Error ? error : new Error(String(error))
    const unknown = new Error(
      `the writer stopped before answering (${this.broken.message}): the write may or may not have landed`,
    )
    for (const w of this.waiting.values()) w.reject(unknown)
    this.waiting.clear()
    this.port.unref()
  }

  private settle(m: Answer): void {
    const w = this.waiting.get(m.seq)
    if (!w) return
    this.waiting.delete(m.seq)
    if (this.waiting.size === 0) this.port.unref()
    if ('failed' in m) w.reject(revive(m.failed))
    else if ('outcomes' in m)
      w.resolve({
        outcomes: m.outcomes.map((o) => ('error' in o ? { ok: false, error: revive(o.error) } : o)),
        ms: m.ms,
      })
    else w.resolve(m.value)
  }

  private ask(message: Record<string, unknown>): { seq: number; answer: Promise<unknown> } {
    const seq = ++this.seq
    const answer = new Promise<unknown>((resolve, reject) => {
      if (this.broken) return reject(this.broken)
      // While a write waits for its answer the process stays up for it; an idle writer keeps nothing alive.
      if (this.waiting.size === 0) this.port.ref()
      this.waiting.set(seq, { resolve, reject })
      this.port.postMessage({ ...message, seq })
    })
    return { seq, answer }
  }

  /** The group's outcomes, and how long the writer took to commit it. */
  commit(writes: Write[], relaxedOnly: boolean): Promise<Committed> {
    return this.ask({ type: 'group', writes, relaxedOnly }).answer as Promise<Committed>
  }

  /** A pragma on the writer's connection (max_page_count, synchronous: what governs writes). */
  pragma(sql: string): Promise<unknown> {
    return this.ask({ type: 'pragma', sql }).answer
  }

  /**
   * Closes the writer's connection after every group already sent, waiting for it synchronously
   * (a store's close is synchronous): the answers that arrive meanwhile settle their writes.
   */
  closeNow(): void {
    if (this.broken) return
    const { seq } = this.ask({ type: 'close' })
    const deadline = Date.now() + 10_000
    // threadId is -1 once the worker has exited: nothing will answer.
    while (this.waiting.has(seq) && Date.now() < deadline && this.worker.threadId !== -1) {
      const seen = Atomics.load(this.signal, 0)
      let m = receiveMessageOnPort(this.port)
      if (!m) {
        Atomics.wait(this.signal, 0, seen, 100)
        m = receiveMessageOnPort(this.port)
      }
      if (m) this.settle(m.message as Answer)
    }
    this.fail(new TypeError('The database connection is not open'))
    void this.worker.terminate()
  }
}

type Answer =
  | {
      seq: number
      outcomes: Array<{ ok: true; value: unknown } | { ok: false; stale: true } | { ok: false; error: PlainError }>
      ms: number
    }
  | { seq: number; value: unknown }
  | { seq: number; failed: PlainError }

/** An error as the writer sends it across threads. */
interface PlainError {
  name?: string
  message: string
  code?: string
}

/**
 * What the group commit has done since the store opened (bench:reliability reads it around a load,
 * through the local cloud's GET /__dev/store): how many groups and writes it sent to commit (one
 * that failed too), how long the connection that commits spent on them, and how long they were in
 * flight as the thread that serves requests saw it — from sending a group to taking in its answer.
 * The difference is the group's passing between the two threads and its answer waiting while that
 * thread serves other requests.
 */
export interface GroupCommitFigures {
  /** The background writer (a file, the local cloud), or the thread that serves requests. */
  writer: 'background' | 'inline'
  groups: number
  writes: number
  committingMs: number
  inFlightMs: number
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

export class SqliteStore implements Store {
  readonly db: Database.Database
  private readonly indexes = new Map<string, IndexSpec>()

  private readonly relaxed: Set<string>

  /**
   * `file` is a path (created with its folder) or ':memory:'. Writes to `relaxed` collections
   * (operational events) commit with synchronous=NORMAL when nothing else commits with them: in
   * WAL mode still durable against a crash of the process, and made durable against power loss by
   * the next FULL commit. Every other write — loans, receipts, audit, users, claims — is fsync'd
   * before it is acknowledged.
   *
   * Writes are group-committed: every write (and every transaction's commit) asked for while the
   * event loop is busy waits for the next turn, and then all of them commit in one SQLite
   * transaction — one fsync for the lot, each in its own savepoint, so one that fails (a duplicate,
   * a conflict, an error) fails alone. None is acknowledged before the fsync that made it durable.
   */
  constructor(
    file: string,
    indexes: IndexSpec[],
    opts: {
      relaxed?: string[]
      /**
       * Copy the WAL back into the database from a worker thread (PASSIVE, every 10 ms) instead
       * of inside a commit: a commit that crosses the WAL's checkpoint size no longer stalls every
       * request behind it. The commit-time checkpoint stays, at a larger size, for a worker that
       * cannot keep up.
       */
      checkpointInBackground?: boolean
      /**
       * Commit from a worker thread with its own connection (a file only), instead of on the
       * thread that serves requests: SQLite's statements and the fsync of each group no longer
       * stop every request while they run. Reads stay on this thread (WAL: they see each commit
       * as soon as it is answered).
       */
      writeInBackground?: boolean
      /** Told when the background writer stops other than by close (every write fails from then on). */
      onWriterStopped?: (error: Error) => void
    } = {},
  ) {
    this.relaxed = new Set(opts.relaxed ?? [])
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: an acknowledged write survives a crash of the process and of the machine.
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    // The group commit's savepoints journal in memory, not in temporary files (sqlite-writer.cjs says why).
    this.db.pragma('temp_store = MEMORY')
    if (opts.checkpointInBackground && file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 16000')
      this.checkpointer = startCheckpointer(path.resolve(file))
    }
    this.migrate()
    for (const spec of indexes) this.declare(spec)
    if (opts.writeInBackground && file !== ':memory:') {
      this.writer = new BackgroundWriter(
        path.resolve(file),
        opts.checkpointInBackground ? 16000 : undefined,
        opts.onWriterStopped ?? (() => undefined),
      )
    } else {
      this.commitHere = writes.groupCommitter(this.db)
    }
  }

  private readonly checkpointer: Worker | null = null

  /** The writes waiting for the next group commit, in the order they were asked for. */
  private pending: PendingWrite[] = []
  private flushing = false
  /** A group the background writer is committing: the next one waits for it. */
  private inFlight = false
  private closed = false
  private readonly writer: BackgroundWriter | null = null
  private readonly commitHere: CommitGroup | null = null

  private readonly figures = { groups: 0, writes: 0, committingMs: 0, inFlightMs: 0 }

  /** The group commit's figures so far (GroupCommitFigures). */
  groupCommitFigures(): GroupCommitFigures {
    return { writer: this.writer ? 'background' : 'inline', ...this.figures }
  }

  /** Counts a group once it is answered (or has failed: its time was spent all the same). */
  private counted(writes: number, committingMs: number, inFlightMs: number): void {
    this.figures.groups++
    this.figures.writes += writes
    this.figures.committingMs += committingMs
    this.figures.inFlightMs += inFlightMs
  }

  /** Queues a write for the next group commit; it answers once that commit is durable. */
  private write<R>(collection: string, write: Write): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.closed) return reject(new TypeError('The database connection is not open'))
      this.pending.push({
        write,
        relaxed: this.relaxed.has(collection),
        resolve: resolve as (v: unknown) => void,
        reject,
      })
      if (!this.flushing && !this.inFlight) {
        this.flushing = true
        nextTurn(() => this.flush())
      }
    })
  }

  /** Commits every queued write in one transaction, here or on the background writer. */
  private flush(): void {
    this.flushing = false
    if (this.inFlight) return
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const relaxedOnly = batch.every((w) => w.relaxed)
    const settle = (outcomes: Outcome[]) =>
      outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.value) : batch[i].reject('stale' in o ? STALE : o.error)))
    // The commit itself failed (the disk, the lock, a closed store): nothing of the batch was written.
    const failAll = (error: unknown) => batch.forEach((w) => w.reject(error))
    const writes = batch.map((w) => w.write)
    const sent = performance.now()
    if (this.writer) {
      this.inFlight = true
      this.writer
        .commit(writes, relaxedOnly)
        .then(
          ({ outcomes, ms }) => {
            this.counted(writes.length, ms, performance.now() - sent)
            settle(outcomes)
          },
          (error: unknown) => {
            // Its time in the writer is not known (a failed answer carries none, and a writer that
            // died sends none): all of its flight.
            const spent = performance.now() - sent
            this.counted(writes.length, spent, spent)
            failAll(error)
          },
        )
        .finally(() => {
          this.inFlight = false
          // What gathered while this group committed goes next, without waiting for another turn.
          if (this.pending.length > 0) this.flush()
        })
      return
    }
    let outcomes: Outcome[]
    try {
      if (this.closed) throw new TypeError('The database connection is not open')
      outcomes = this.commitHere!(writes, relaxedOnly)
    } catch (error) {
      failAll(error)
      return
    } finally {
      // Here the commit is its whole flight.
      const spent = performance.now() - sent
      this.counted(writes.length, spent, spent)
    }
    settle(outcomes)
  }

  /**
   * Stops copying the WAL back into the database (the checkpointer thread and the commit-time
   * checkpoint) until the store closes, so that the WAL keeps every frame written from here on:
   * bench/drawdown-pages.ts counts the pages each commit wrote. Nothing else calls it.
   */
  async stopCheckpoints(): Promise<void> {
    await this.checkpointer?.terminate()
    // The connection that commits is the one whose commits would checkpoint (this one only reads, when a writer commits).
    await this.writerPragma('wal_autocheckpoint = 0')
  }

  /** A pragma on the connection that writes (the background writer's, when there is one). */
  async writerPragma(sql: string): Promise<unknown> {
    return this.writer ? this.writer.pragma(sql) : this.db.pragma(sql, { simple: true })
  }

  private migrate(): void {
    const at = this.db.pragma('user_version', { simple: true }) as number
    const apply = this.db.transaction(() => {
      for (let i = at; i < MIGRATIONS.length; i++) this.db.exec(MIGRATIONS[i])
      this.db.pragma(`user_version = ${MIGRATIONS.length}`)
    })
    if (at < MIGRATIONS.length) apply()
  }

  private declare(spec: IndexSpec): void {
    for (const f of [spec.eq, spec.range].filter(Boolean) as string[]) {
      if (!FIELD.test(f)) throw new Error(`bad index field ${f}`)
    }
    if (!/^[A-Za-z0-9_]+$/.test(spec.collection + spec.name)) throw new Error(`bad index name ${spec.name}`)
    const cols = [`json_extract(data, '$.${spec.eq}')`]
    if (spec.range) cols.push(`json_extract(data, '$.${spec.range}')`)
    // Ending in the id, a query's order (range, then id) is the index's own: no sort, and no walk
    // of the whole collection for an index without a range (the rowid table's entries end in the
    // rowid, not the id). The first layout's indexes (ix_…, without the id) are replaced.
    cols.push('id')
    this.db.exec(`DROP INDEX IF EXISTS ix_${spec.collection}_${spec.name}`)
    this.db.exec(
      `CREATE INDEX IF NOT EXISTS ixk_${spec.collection}_${spec.name} ON docs (${cols.join(', ')}) WHERE collection = '${spec.collection}'`,
    )
    this.indexes.set(`${spec.collection}/${spec.name}`, spec)
  }

  /** Each statement is compiled once and reused: these run on every request. */
  private readonly statements = new Map<string, Database.Statement>()
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  async get<T>(collection: string, id: string): Promise<Doc<T> | null> {
    const row = this.stmt('SELECT version, data FROM docs WHERE collection = ? AND id = ?').get(collection, id) as
      { version: number; data: string } | undefined
    return row ? { id, version: row.version, data: JSON.parse(row.data) as T } : null
  }

  async insert<T>(collection: string, id: string, data: T): Promise<InsertResult<T>> {
    // Serialized now, as the caller has it: a change to `data` before the commit is not written.
    const json = JSON.stringify(data)
    const inserted = await this.write<boolean>(collection, { kind: 'insert', collection, id, json })
    return inserted ? { ok: true, doc: copyOf<T>(id, 1, json) } : { ok: false, reason: 'DUPLICATE' }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const json = JSON.stringify(data)
    const outcome = await this.write<'ok' | 'CONFLICT' | 'NOT_FOUND'>(collection, {
      kind: 'update',
      collection,
      id,
      expected: expectedVersion,
      json,
    })
    if (outcome === 'ok') return { ok: true, doc: copyOf<T>(id, expectedVersion + 1, json) }
    return { ok: false, reason: outcome }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.write<boolean>(collection, { kind: 'remove', collection, id, expected: expectedVersion })
  }

  async transact<R>(work: (tx: StoreTx) => Promise<R>): Promise<R> {
    return runOptimistic(
      (c, id) => this.get(c, id),
      // In the group commit like any write (a transaction is never relaxed); STALE is "run again".
      (entries) =>
        this.write('', { kind: 'commit', entries: entries.map(landing) }).then(
          () => true,
          (error: unknown) => {
            if (error === STALE) return false
            throw error
          },
        ),
      work,
    )
  }

  async query<T>(collection: string, q: Query): Promise<Doc<T>[]> {
    const spec = this.indexes.get(`${collection}/${q.index}`)
    if (!spec) throw new Error(`no index ${q.index} on ${collection}`)
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 1000) throw new RangeError('limit must be 1–1000')
    const eq = `json_extract(data, '$.${spec.eq}')`
    const where = ['collection = ?', `${eq} = ?`]
    const args: Array<string | number> = [collection, q.eq]
    let order = 'id'
    if (spec.range) {
      const range = `json_extract(data, '$.${spec.range}')`
      if (q.gte !== undefined) {
        where.push(`${range} >= ?`)
        args.push(q.gte)
      }
      if (q.lt !== undefined) {
        where.push(`${range} < ?`)
        args.push(q.lt)
      }
      // Descending walks the index backwards, ties by id descending too: with `id` ascending under a
      // descending range SQLite could not follow the index and sorted every row in range for each
      // page (a page of the newest 1,000 of 100,000 cost the whole range). The port leaves tie order open.
      order = q.order === 'desc' ? `${range} DESC, id DESC` : `${range} ASC, id`
    } else if (q.gte !== undefined || q.lt !== undefined) {
      throw new Error(`index ${q.index} has no range field`)
    }
    const rows = this.stmt(
      `SELECT id, version, data FROM docs WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
    ).all(...args, q.limit) as Array<{ id: string; version: number; data: string }>
    return rows.map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as T }))
  }

  /** Every document of a collection in the order it was first written, one at a time (a local operator's full read, such as the books). */
  *scan<T>(collection: string): Generator<Doc<T>> {
    for (const { doc } of this.scanAfter<T>(collection, 0)) yield doc
  }

  /**
   * The documents of a collection written after row `afterRid`, in that order, each with its row:
   * rows only grow (a new row's number is above every row there), so a reader that remembers the
   * last row it saw of a collection whose documents are never deleted (the books) reads only what came since.
   */
  *scanAfter<T>(collection: string, afterRid: number, limit = -1): Generator<{ rid: number; doc: Doc<T> }> {
    const rows = this.stmt(
      // `+collection`: not through the (collection, id) index and a sort of every later row, but
      // along the rows from `afterRid` (a chunk costs what it reads, however long the collection).
      'SELECT rid, id, version, data FROM docs WHERE rid > ? AND +collection = ? ORDER BY rid LIMIT ?',
    ).iterate(afterRid, collection, limit) as IterableIterator<{
      rid: number
      id: string
      version: number
      data: string
    }>
    for (const r of rows) yield { rid: r.rid, doc: { id: r.id, version: r.version, data: JSON.parse(r.data) as T } }
  }

  /** The id of the document at row `rid` of a collection, or null (a reader's check that a row it remembers is still that row). */
  idAtRow(collection: string, rid: number): string | null {
    const row = this.stmt('SELECT id FROM docs WHERE rid = ? AND +collection = ?').get(rid, collection) as
      { id: string } | undefined
    return row?.id ?? null
  }

  /** Whether any person's identity is sealed in this file (then its data keys must be the ones it was sealed with). */
  hasSealedIdentities(): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM docs WHERE collection = 'users' AND json_extract(data, '$.identity.legal.name.kid') IS NOT NULL LIMIT 1`,
        )
        .get() !== undefined
    )
  }

  /** How many identities and contracts each data key seals, by the key id stored beside each ciphertext (known or not). */
  sealedByKey(): Record<string, number> {
    // Identities, and the signed contracts whose text names the borrower.
    const rows = this.db
      .prepare(
        `SELECT kid, SUM(n) AS n FROM (
           SELECT json_extract(data, '$.identity.legal.name.kid') AS kid, COUNT(*) AS n FROM docs
             WHERE collection = 'users' AND kid IS NOT NULL GROUP BY kid
           UNION ALL
           SELECT json_extract(data, '$.text.kid') AS kid, COUNT(*) AS n FROM docs
             WHERE collection = 'contracts' AND kid IS NOT NULL GROUP BY kid
         ) GROUP BY kid`,
      )
      .all() as Array<{ kid: string; n: number }>
    return Object.fromEntries(rows.map((r) => [r.kid, r.n]))
  }

  close(): void {
    // What is queued is committed first: a close never drops a write that was asked for.
    if (this.writer) {
      // Behind a group in flight too: the writer takes its messages in order.
      this.inFlight = false
      this.flush()
      this.writer.closeNow()
    } else {
      this.flush()
    }
    this.closed = true
    void this.checkpointer?.terminate()
    // Everything into the database file: whoever opens it next (a read-only CLI command) finds
    // nothing to copy, and so writes nothing. PASSIVE never holds another process's writers back;
    // the checkpointer thread may still be finishing a copy, so it is asked again, briefly, until
    // the whole WAL is in (about 0.2 s at most).
    if (this.writer) {
      const pause = new Int32Array(new SharedArrayBuffer(4))
      for (let i = 0; i < 40; i++) {
        try {
          const [r] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{
            busy: number
            log: number
            checkpointed: number
          }>
          if (r.busy === 0 && r.checkpointed === r.log) break
        } catch {
          // Busy: asked again below.
        }
        Atomics.wait(pause, 0, 0, 5)
      }
    }
    this.db.close()
  }
}

/** Thrown back into a transaction's commit: a document it saw has changed, so it runs again. */
const STALE = Symbol('stale')

/** A transaction's entry as the group commit takes it: what lands, as JSON, and the version it was made from. */
function landing(e: TxEntry) {
  return {
    collection: e.collection,
    id: e.id,
    seenVersion: e.seenVersion,
    written: e.written,
    version: e.version,
    json: e.written ? (e.json ?? null) : null,
  }
}
