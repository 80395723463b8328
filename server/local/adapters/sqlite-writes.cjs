// The SQLite store's writes as data, and how one group of them commits on a connection. Plain
// CommonJS, because two threads run it: the store's own connection (':memory:', and a file when it
// writes inline) and its background writer (sqlite-writer.cjs), which has no TypeScript loader.
'use strict'

const INSERT = 'INSERT INTO docs (collection, id, version, data) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'
const UPDATE_FROM = 'UPDATE docs SET version = ?, data = ? WHERE collection = ? AND id = ? AND version = ?'
const DELETE_AT = 'DELETE FROM docs WHERE collection = ? AND id = ? AND version = ?'
const VERSION = 'SELECT version FROM docs WHERE collection = ? AND id = ?'

/** Thrown inside a transaction's commit when a document it saw has changed: its savepoint rolls back. */
const STALE = new Error('stale')

/** One write: its answer, or a throw (STALE for a transaction that must run again). */
function runWrite(stmt, w) {
  switch (w.kind) {
    case 'insert':
      return stmt(INSERT).run(w.collection, w.id, 1, w.json).changes === 1
    case 'update': {
      if (stmt(UPDATE_FROM).run(w.expected + 1, w.json, w.collection, w.id, w.expected).changes === 1) return 'ok'
      return stmt(VERSION).get(w.collection, w.id) ? 'CONFLICT' : 'NOT_FOUND'
    }
    case 'remove':
      return stmt(DELETE_AT).run(w.collection, w.id, w.expected).changes === 1
    case 'commit':
      // A transaction's commit: every document it saw is still at the version it saw, then every
      // write lands; or nothing. Each write checks the version it was made from as it lands (one
      // statement each); a document only read is checked on its own.
      for (const e of w.entries) {
        let landed
        if (!e.written || (e.json === null && e.seenVersion === 0)) {
          const row = stmt(VERSION).get(e.collection, e.id)
          landed = (row ? row.version : 0) === e.seenVersion
        } else if (e.json === null) {
          landed = stmt(DELETE_AT).run(e.collection, e.id, e.seenVersion).changes === 1
        } else if (e.seenVersion === 0) {
          landed = stmt(INSERT).run(e.collection, e.id, e.version, e.json).changes === 1
        } else {
          landed = stmt(UPDATE_FROM).run(e.version, e.json, e.collection, e.id, e.seenVersion).changes === 1
        }
        if (!landed) throw STALE
      }
      return true
    default:
      throw new TypeError(`unknown write ${w.kind}`)
  }
}

/**
 * The group commit on `db`: `commitGroup(writes, relaxedOnly)` runs every write in one SQLite
 * transaction (BEGIN IMMEDIATE: the write lock first, so another process on the file waits rather
 * than failing the commit halfway), each in its own savepoint, so one that fails (a duplicate, a
 * conflict, an error) fails alone. It answers one outcome per write, or throws when the commit
 * itself failed — then nothing of the group was written.
 */
function groupCommitter(db) {
  const cache = new Map()
  const stmt = (sql) => {
    let s = cache.get(sql)
    if (!s) {
      s = db.prepare(sql)
      cache.set(sql, s)
    }
    return s
  }
  const alone = db.transaction((w) => runWrite(stmt, w))
  const group = db.transaction((writes) => {
    const outcomes = []
    for (const w of writes) {
      try {
        outcomes.push({ ok: true, value: alone(w) })
      } catch (error) {
        // A full disk, an I/O error, no memory: SQLite has rolled the whole group back, so none of
        // it may be reported written (nor may what follows commit on its own) — the group fails.
        if (!db.inTransaction) throw error
        outcomes.push(error === STALE ? { ok: false, stale: true } : { ok: false, error })
      }
    }
    return outcomes
  }).immediate
  return function commitGroup(writes, relaxedOnly) {
    if (!db.open) throw new TypeError('The database connection is not open')
    // Relaxed (synchronous=NORMAL) only when nothing else commits with them.
    if (relaxedOnly) db.pragma('synchronous = NORMAL')
    try {
      return group(writes)
    } finally {
      if (relaxedOnly) db.pragma('synchronous = FULL')
    }
  }
}

module.exports = { groupCommitter }
