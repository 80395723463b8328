// The Store port on one SQLite file (better-sqlite3): documents as JSON, versions for compare-and-set.
import Database from 'better-sqlite3'
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
]

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/

export class SqliteStore implements Store {
  readonly db: Database.Database
  private readonly indexes = new Map<string, IndexSpec>()

  private readonly relaxed: Set<string>

  /**
   * `file` is a path (created with its folder) or ':memory:'. Writes to `relaxed` collections
   * (operational events) commit with synchronous=NORMAL: in WAL mode still durable against a
   * crash of the process, and made durable against power loss by the next FULL commit. Every
   * other write — loans, receipts, audit, users, claims — is fsync'd before it is acknowledged.
   */
  constructor(file: string, indexes: IndexSpec[], opts: { relaxed?: string[] } = {}) {
    this.relaxed = new Set(opts.relaxed ?? [])
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: an acknowledged write survives a crash of the process and of the machine.
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
    for (const spec of indexes) this.declare(spec)
    // BEGIN IMMEDIATE: the write lock first, so another process on the same file (the CLI) waits
    // (busy_timeout) rather than failing the commit halfway.
    this.commit = this.db.transaction((entries: TxEntry[]) => this.apply(entries)).immediate
  }

  /** A transaction's commit: see apply. */
  private readonly commit: (entries: TxEntry[]) => boolean

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

  /** Runs a write with the durability its collection has. */
  private write<R>(collection: string, run: () => R): R {
    if (!this.relaxed.has(collection)) return run()
    this.db.pragma('synchronous = NORMAL')
    try {
      return run()
    } finally {
      this.db.pragma('synchronous = FULL')
    }
  }

  async insert<T>(collection: string, id: string, data: T): Promise<InsertResult<T>> {
    const info = this.write(collection, () =>
      this.stmt('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING').run(
        collection,
        id,
        JSON.stringify(data),
      ),
    )
    return info.changes === 1
      ? { ok: true, doc: { id, version: 1, data: clone(data) } }
      : { ok: false, reason: 'DUPLICATE' }
  }

  async update<T>(collection: string, id: string, expectedVersion: number, data: T): Promise<UpdateResult<T>> {
    const info = this.stmt(
      'UPDATE docs SET version = version + 1, data = ? WHERE collection = ? AND id = ? AND version = ?',
    ).run(JSON.stringify(data), collection, id, expectedVersion)
    if (info.changes === 1) return { ok: true, doc: { id, version: expectedVersion + 1, data: clone(data) } }
    const exists = this.stmt('SELECT 1 FROM docs WHERE collection = ? AND id = ?').get(collection, id)
    return { ok: false, reason: exists ? 'CONFLICT' : 'NOT_FOUND' }
  }

  async remove(collection: string, id: string, expectedVersion: number): Promise<boolean> {
    const info = this.stmt('DELETE FROM docs WHERE collection = ? AND id = ? AND version = ?').run(
      collection,
      id,
      expectedVersion,
    )
    return info.changes === 1
  }

  async transact<R>(work: (tx: StoreTx) => Promise<R>): Promise<R> {
    return runOptimistic(
      (c, id) => this.get(c, id),
      async (entries) => this.commit(entries),
      work,
    )
  }

  /**
   * One synchronous SQLite transaction (nothing else runs on this connection meanwhile): every
   * document the work saw is still at the version it saw, then every write lands; or nothing.
   */
  private apply(entries: TxEntry[]): boolean {
    const version = this.stmt('SELECT version FROM docs WHERE collection = ? AND id = ?')
    for (const e of entries) {
      const row = version.get(e.collection, e.id) as { version: number } | undefined
      if ((row?.version ?? 0) !== e.seenVersion) return false
    }
    for (const e of entries.filter((x) => x.written)) {
      if (e.doc === null) this.stmt('DELETE FROM docs WHERE collection = ? AND id = ?').run(e.collection, e.id)
      else
        this.stmt(
          `INSERT INTO docs (collection, id, version, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (collection, id) DO UPDATE SET version = excluded.version, data = excluded.data`,
        ).run(e.collection, e.id, e.doc.version, JSON.stringify(e.doc.data))
    }
    return true
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
    this.db.close()
  }
}

function clone<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T
}
