// The Store port on one SQLite file (better-sqlite3): documents as JSON, versions for compare-and-set.
import Database from 'better-sqlite3'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import fs from 'node:fs'
import path from 'node:path'
import type { Doc, IndexSpec, InsertResult, Query, Store, StoreTx, UpdateResult } from '../../ports'
import { runOptimistic, type TxEntry } from '../../store-tx'

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

/** The background checkpointer: its own connection to the file, checkpointing what the WAL holds (PASSIVE: never waits for a writer). */
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
}, 100)
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

/** Thrown inside a transaction's commit when a document it saw has changed: its savepoint rolls back. */
const STALE = Symbol('stale')

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

/** A write waiting for the group commit. */
interface PendingWrite {
  run: () => unknown
  relaxed: boolean
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
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
       * Copy the WAL back into the database from a worker thread (PASSIVE, every 100 ms) instead
       * of inside a commit: a commit that crosses the WAL's checkpoint size no longer stalls every
       * request behind it. The commit-time checkpoint stays, at a larger size, for a worker that
       * cannot keep up.
       */
      checkpointInBackground?: boolean
    } = {},
  ) {
    this.relaxed = new Set(opts.relaxed ?? [])
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: an acknowledged write survives a crash of the process and of the machine.
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    if (opts.checkpointInBackground && file !== ':memory:') {
      this.db.pragma('wal_autocheckpoint = 16000')
      this.checkpointer = startCheckpointer(path.resolve(file))
    }
    this.migrate()
    for (const spec of indexes) this.declare(spec)
    // BEGIN IMMEDIATE: the write lock first, so another process on the same file (the CLI) waits
    // (busy_timeout) rather than failing the commit halfway.
    this.group = this.db.transaction((batch: PendingWrite[]) => {
      const outcomes: Outcome[] = []
      for (const w of batch) {
        try {
          outcomes.push({ ok: true, value: this.alone(w.run) })
        } catch (error) {
          // A full disk, an I/O error, no memory: SQLite has rolled the whole group back, so none
          // of it may be reported written (nor may what follows commit on its own) — the batch fails.
          if (!this.db.inTransaction) throw error
          outcomes.push({ ok: false, error })
        }
      }
      return outcomes
    }).immediate
    // Nested in the group's transaction: a savepoint, rolled back alone when its write throws.
    this.alone = this.db.transaction((run: () => unknown) => run())
  }

  private readonly checkpointer: Worker | null = null

  /** The writes waiting for the next group commit, in the order they were asked for. */
  private pending: PendingWrite[] = []
  private flushing = false
  private readonly group: (batch: PendingWrite[]) => Outcome[]
  private readonly alone: (run: () => unknown) => unknown

  /** Queues a write for the next group commit; it answers once that commit is durable. */
  private write<R>(collection: string, run: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({
        run,
        relaxed: this.relaxed.has(collection),
        resolve: resolve as (v: unknown) => void,
        reject,
      })
      if (!this.flushing) {
        this.flushing = true
        nextTurn(() => this.flush())
      }
    })
  }

  /** Commits every queued write in one transaction (BEGIN IMMEDIATE: the write lock first, so another process waits). */
  private flush(): void {
    this.flushing = false
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const relaxedOnly = batch.every((w) => w.relaxed)
    let outcomes: Outcome[]
    try {
      if (!this.db.open) throw new TypeError('The database connection is not open')
      if (relaxedOnly) this.db.pragma('synchronous = NORMAL')
      try {
        outcomes = this.group(batch)
      } finally {
        if (relaxedOnly) this.db.pragma('synchronous = FULL')
      }
    } catch (error) {
      // The commit itself failed (the disk, the lock, a closed store): nothing of the batch was written.
      for (const w of batch) w.reject(error)
      return
    }
    outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.value) : batch[i].reject(o.error)))
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
    this.db.exec(
      `CREATE INDEX IF NOT EXISTS ix_${spec.collection}_${spec.name} ON docs (${cols.join(', ')}) WHERE collection = '${spec.collection}'`,
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
    const info = await this.write(collection, () =>
      this.stmt('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING').run(
        collection,
        id,
        json,
      ),
    )
    return info.changes === 1
      ? { ok: true, doc: { id, version: 1, data: clone(data) } }
      : { ok: false, reason: 'DUPLICATE' }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const json = JSON.stringify(data)
    const outcome = await this.write(collection, () => {
      const info = this.stmt(
        'UPDATE docs SET version = version + 1, data = ? WHERE collection = ? AND id = ? AND version = ?',
      ).run(json, collection, id, expectedVersion)
      if (info.changes === 1) return 'ok' as const
      return this.stmt('SELECT 1 FROM docs WHERE collection = ? AND id = ?').get(collection, id)
        ? ('CONFLICT' as const)
        : ('NOT_FOUND' as const)
    })
    if (outcome === 'ok') return { ok: true, doc: { id, version: expectedVersion + 1, data: clone(data) } }
    return { ok: false, reason: outcome }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    const info = await this.write(collection, () =>
      this.stmt('DELETE FROM docs WHERE collection = ? AND id = ? AND version = ?').run(
        collection,
        id,
        expectedVersion,
      ),
    )
    return info.changes === 1
  }

  async transact<R>(work: (tx: StoreTx) => Promise<R>): Promise<R> {
    return runOptimistic(
      (c, id) => this.get(c, id),
      // In the group commit like any write (a transaction is never relaxed); STALE is "run again".
      (entries) =>
        this.write('', () => this.apply(entries)).then(
          () => true,
          (error: unknown) => {
            if (error === STALE) return false
            throw error
          },
        ),
      work,
    )
  }

  /**
   * A transaction's commit, inside the group commit's SQLite transaction (nothing else runs on this
   * connection meanwhile): every document the work saw is still at the version it saw, then every
   * write lands; or nothing. Each write checks the version it was made from as it lands (one
   * statement each); a document only read is checked on its own. One that moved throws STALE, and
   * the transaction's savepoint undoes whatever of it had landed.
   */
  private apply(entries: TxEntry[]): void {
    const version = this.stmt('SELECT version FROM docs WHERE collection = ? AND id = ?')
    for (const e of entries) {
      let landed: boolean
      if (!e.written || (e.doc === null && e.seenVersion === 0)) {
        const row = version.get(e.collection, e.id) as { version: number } | undefined
        landed = (row?.version ?? 0) === e.seenVersion
      } else if (e.doc === null) {
        landed =
          this.stmt('DELETE FROM docs WHERE collection = ? AND id = ? AND version = ?').run(
            e.collection,
            e.id,
            e.seenVersion,
          ).changes === 1
      } else if (e.seenVersion === 0) {
        landed =
          this.stmt('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
            e.collection,
            e.id,
            e.doc.version,
            JSON.stringify(e.doc.data),
          ).changes === 1
      } else {
        landed =
          this.stmt('UPDATE docs SET version = ?, data = ? WHERE collection = ? AND id = ? AND version = ?').run(
            e.doc.version,
            JSON.stringify(e.doc.data),
            e.collection,
            e.id,
            e.seenVersion,
          ).changes === 1
      }
      if (!landed) throw STALE
    }
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
      order = `${range} ${q.order === 'desc' ? 'DESC' : 'ASC'}, id`
    } else if (q.gte !== undefined || q.lt !== undefined) {
      throw new Error(`index ${q.index} has no range field`)
    }
    const rows = this.stmt(
      `SELECT id, version, data FROM docs WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`,
    ).all(...args, q.limit) as Array<{ id: string; version: number; data: string }>
    return rows.map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as T }))
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

  /** How many identities each data key seals, by the key id stored beside each ciphertext (known or not). */
  sealedByKey(): Record<string, number> {
    const rows = this.db
      .prepare(
        `SELECT json_extract(data, '$.identity.legal.name.kid') AS kid, COUNT(*) AS n FROM docs
         WHERE collection = 'users' AND kid IS NOT NULL GROUP BY kid`,
      )
      .all() as Array<{ kid: string; n: number }>
    return Object.fromEntries(rows.map((r) => [r.kid, r.n]))
  }

  close(): void {
    // What is queued is committed first: a close never drops a write that was asked for.
    this.flush()
    void this.checkpointer?.terminate()
    this.db.close()
  }
}

function clone<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T
}
