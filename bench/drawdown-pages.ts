// `npm run bench:drawdown-pages`: what a drawdown writes, counted rather than timed — the pages
// each commit put in the WAL, by the table or index they belong to, and the reads it made. These
// hardly move with what else the machine runs, as throughput does (issue #14: the drawdown's
// p99 follows how much the writer has to write).
//
// The local cloud runs in this process with its checkpoints stopped (so the WAL keeps every frame
// of the load); the load (bench/drawdowns.ts, REQUESTS drawdowns at 50 connections) comes from a
// child process, as in bench:reliability. Each WAL frame names its page; the database's dbstat
// table names the b-tree each page is in, and a docs_key leaf is named by the collection of its
// first entry.
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud } from '../server/local/runtime/main'
import type { SqliteStore } from '../server/local/adapters/sqlite-store'
import { CONNECTIONS, drawdownBorrowers, drawdownLoadOptions, type Answers, type Borrowers } from './drawdowns'

const REQUESTS = Number(process.env.REQUESTS ?? 4_000)

/** The child: the load against `base`, with the borrowers in `file`; prints its answers as JSON. */
async function load(file: string, base: string) {
  const borrowers = JSON.parse(fs.readFileSync(file, 'utf8')) as Borrowers
  const answers: Answers = { drawn: 0, disbursed: 0, refused: 0 }
  const r = await autocannon(drawdownLoadOptions(base, borrowers, answers, { amount: REQUESTS }))
  console.log(JSON.stringify({ ...answers, total: r.requests.total, non2xx: r.non2xx, errors: r.errors }))
}

function varint(b: Buffer, i: number): [number, number] {
  let v = 0
  for (let k = 0; k < 8; k++) {
    const c = b[i + k]
    v = v * 128 + (c & 0x7f)
    if (!(c & 0x80)) return [v, i + k + 1]
  }
  return [v * 256 + b[i + 8], i + 9]
}

/** The collection of a docs_key leaf's first entry (its keys are (collection, id)), or what kind of page it is. */
function leafCollection(page: Buffer, header: number): string {
  if (page[header] !== 0x0a) return '(interior)'
  if (page.readUInt16BE(header + 3) === 0) return '(empty)'
  const [, record] = varint(page, page.readUInt16BE(header + 8))
  const [headerSize, types] = varint(page, record)
  const [serial] = varint(page, types)
  const start = record + headerSize
  return page.subarray(start, start + (serial - 13) / 2).toString('utf8')
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaitong-pages-'))
  const dbFile = path.join(dir, 'kaitong.db')
  process.env.KAITONG_SIM_PAYOUT_MS = '0'
  const cloud = await startLocalCloud({ dbFile, port: 0, quiet: true, staticDir: dir, consoleDir: dir })
  const store = cloud.ports.store as SqliteStore
  try {
    const base = cloud.url.replace(/\/$/, '')
    const borrowers = await drawdownBorrowers(base)
    const file = path.join(dir, 'borrowers.json')
    fs.writeFileSync(file, JSON.stringify(borrowers))
    await store.stopCheckpoints()
    await store.writerPragma('wal_checkpoint(TRUNCATE)')
    const pagesBefore = store.db.pragma('page_count', { simple: true }) as number
    const ridBefore = (store.db.prepare('SELECT max(rid) AS rid FROM docs').get() as { rid: number }).rid
    // Reads, by collection (a get) or collection and index (a query).
    const reads = new Map<string, number>()
    const count = (k: string) => reads.set(k, (reads.get(k) ?? 0) + 1)
    const get = store.get.bind(store)
    const query = store.query.bind(store)
    store.get = (c, id) => (count(c), get(c, id))
    store.query = (c, q) => (count(`${c} by ${q.index}`), query(c, q))
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--load', file, base], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise((resolve) => child.on('exit', resolve))
    const answers = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Answers & { total: number }
    const n = answers.disbursed
    if (!n || answers.refused) throw new Error(`the load: ${out}`)

    const wal = fs.readFileSync(`${dbFile}-wal`)
    const pageSize = wal.readUInt32BE(8)
    const db = new Database(dbFile, { readonly: true })
    const owner = new Map<number, string>()
    for (const r of db.prepare('SELECT name, pageno, pagetype FROM dbstat').all() as Array<{
      name: string
      pageno: number
      pagetype: string
    }>)
      owner.set(r.pageno, r.pagetype === 'internal' ? `${r.name} (interior)` : r.name)
    const rows = db
      .prepare(
        'SELECT collection, count(*) AS n, avg(length(data)) AS size FROM docs WHERE rid > ? GROUP BY collection ORDER BY n DESC, collection',
      )
      .all(ridBefore) as Array<{ collection: string; n: number; size: number }>
    db.close()

    let commits = 0
    let frames = 0
    let fresh = 0
    const by = new Map<string, number>()
    for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
      const page = wal.readUInt32BE(at)
      frames++
      if (wal.readUInt32BE(at + 4) !== 0) commits++
      let name = page === 1 ? 'page 1 (the file header: every commit)' : (owner.get(page) ?? '(freed)')
      if (name === 'docs_key')
        name += ` ${leafCollection(wal.subarray(at + 24, at + 24 + pageSize), page === 1 ? 100 : 0)}`
      if (name === 'docs' && page > pagesBefore) fresh++
      by.set(name, (by.get(name) ?? 0) + 1)
    }
    const per = (x: number) => (x / n).toFixed(2)
    console.log(`drawdown pages — node ${process.version}, ${new Date().toISOString()}`)
    console.log(
      `${n.toLocaleString('en')} drawdowns paid out (${CONNECTIONS} connections): ${per(frames)} pages (${((frames * pageSize) / n / 1024).toFixed(1)} KB) written to the WAL per drawdown in ${per(commits)} commits; ${per(rows.reduce((s, r) => s + r.n, 0))} rows, ${(rows.reduce((s, r) => s + r.n * r.size, 0) / n / 1024).toFixed(1)} KB of documents; ${per([...reads.values()].reduce((s, x) => s + x, 0))} reads`,
    )
    console.log(`  pages per drawdown, by b-tree (docs: ${per(fresh)} of them on pages new since the load began):`)
    for (const [name, c] of [...by].sort((a, b) => b[1] - a[1]).filter(([, c]) => c / n >= 0.1))
      console.log(`    ${per(c).padStart(5)}  ${name}`)
    console.log(
      `  rows per drawdown: ${rows.map((r) => `${r.collection} ${per(r.n)} (${Math.round(r.size)} B)`).join(', ')}`,
    )
    console.log(
      `  reads per drawdown: ${[...reads]
        .sort((a, b) => b[1] - a[1])
        .map(([k, c]) => `${k} ${per(c)}`)
        .join(', ')}`,
    )
  } finally {
    await cloud.stop()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const loadAt = process.argv.indexOf('--load')
;(loadAt > 0 ? load(process.argv[loadAt + 1], process.argv[loadAt + 2]) : main()).catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
