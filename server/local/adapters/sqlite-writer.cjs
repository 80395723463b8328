// The SQLite store's background writer: its own connection to the file, committing each group of
// writes the store sends (sqlite-writes.cjs) and answering once the commit is durable, so that the
// request thread goes on serving while SQLite writes and fsyncs.
'use strict'
const { workerData } = require('node:worker_threads')
const { performance } = require('node:perf_hooks')
const Database = require(workerData.driver)
const { groupCommitter } = require('./sqlite-writes.cjs')

const { port, signal } = workerData
const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
// FULL: an acknowledged write survives a crash of the process and of the machine.
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')
// Each write of a group runs in its own savepoint, and SQLite keeps what a savepoint would roll back
// in a statement journal: a temporary file by default, written page by page (as many bytes as the
// WAL itself) though it is never needed after the commit. In memory it costs no disk write.
db.pragma('temp_store = MEMORY')
if (workerData.walAutocheckpoint) db.pragma(`wal_autocheckpoint = ${workerData.walAutocheckpoint}`)
const commitGroup = groupCommitter(db)

const plain = (error) => ({
  name: error && error.name,
  message: error && error.message !== undefined ? error.message : String(error),
  code: error && error.code,
})

function answer(message) {
  port.postMessage(message)
  // For a store that waits synchronously (its close): something is on the port.
  Atomics.add(signal, 0, 1)
  Atomics.notify(signal, 0)
}

port.on('message', (m) => {
  if (m.type === 'group') {
    try {
      const started = performance.now()
      const outcomes = commitGroup(m.writes, m.relaxedOnly)
      answer({
        seq: m.seq,
        outcomes: outcomes.map((o) => (o.error ? { ok: false, error: plain(o.error) } : o)),
        // How long the commit took here (statements and fsync): the store tells it from the time in flight.
        ms: performance.now() - started,
      })
    } catch (error) {
      answer({ seq: m.seq, failed: plain(error) })
    }
  } else if (m.type === 'pragma') {
    try {
      answer({ seq: m.seq, value: db.pragma(m.sql, { simple: true }) })
    } catch (error) {
      answer({ seq: m.seq, failed: plain(error) })
    }
  } else if (m.type === 'close') {
    db.close()
    answer({ seq: m.seq, value: 'closed' })
    port.close()
  }
})
