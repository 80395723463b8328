// `npm run bench:console`: the operator console at the size of a real book — 1,000,000 loans for
// 100,000 borrowers (each with a line and a kept decision profile), 2,000 reviews waiting and
// 20,000 decided, a merchant's 30 days of funnel — seeded straight into a SQLite file, then asked
// over HTTP through the local cloud's /api/console as the console asks:
//   the review queue and borrower search (goal: p99 ≤ 100 ms), a 30-day funnel (≤ 500 ms),
//   simulating a rule draft on the 100,000 stored profiles (≤ 5 s), and the console's first load
//   (≤ 350 KB of gzip JS: the entry and what it preloads, from console/dist).
// BORROWERS / LOANS_PER_BORROWER / REQUESTS change the size.
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { devOperatorSession, seedDemoOperators } from '../server/app/console/operators'
import { createLocalCloud } from '../server/local/runtime/gateway'
import { seedLocalCloud } from '../server/local/runtime/main'
import { localPorts } from '../server/local/ports'
import { makeTestCloud } from '../test/support/cloud'
import { borrow, onboardBorrower } from '../test/support/borrower'
import { NOW } from '../test/support/factories'
import { listen, postJson } from '../test/support/http'
import { funnelDayId } from '../server/app/funnel'
import { chinaDateString, DAY_MS } from '../src/domain/china-time'
import type { CreditProfile } from '../src/domain/credit-profile'
import { DEFAULT_RULE_SET } from '../src/domain/rule-set'
import { precheck } from '../src/domain/rules'
import { decisionSummary } from '../server/app/published'

const ROOT = path.resolve(__dirname, '..')
const BORROWERS = Number(process.env.BORROWERS ?? 100_000)
const PER = Number(process.env.LOANS_PER_BORROWER ?? 10)
const REQUESTS = Number(process.env.REQUESTS ?? 200)
const WAITING = 2_000
const DECIDED = 20_000

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
const ms = (x: number) => `${x.toFixed(1)} ms`

/** A real borrower's documents, made by the use cases: the templates the seeded book is cloned from. */
async function templates() {
  const cloud = await makeTestCloud()
  await onboardBorrower(cloud, 'alice')
  await borrow(cloud, 'alice')
  await cloud.call('credit', 'precheck', {})
  const one = (collection: string) =>
    JSON.parse(
      (
        cloud.ports.store.db.prepare('SELECT data FROM docs WHERE collection = ? LIMIT 1').get(collection) as {
          data: string
        }
      ).data,
    )
  const t = { user: one('users'), loan: one('loans'), line: one('lines'), profile: one('decisionProfiles') }
  cloud.close()
  return t
}

/** A small deterministic generator: the same book every run. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

/** Every numeric leaf of a profile scaled by 0.5–1.5 (the age kept in 18–60): profiles that decide differently. */
function varied(profile: unknown, r: () => number, key = ''): unknown {
  if (typeof profile === 'number') {
    if (key === 'age') return 18 + Math.floor(r() * 43)
    return Math.max(0, Math.round(profile * (0.5 + r())))
  }
  if (Array.isArray(profile)) return profile.map((x) => varied(x, r))
  if (profile && typeof profile === 'object')
    return Object.fromEntries(Object.entries(profile).map(([k, v]) => [k, varied(v, r, k)]))
  return profile
}

async function seed(dbFile: string) {
  const t = await templates()
  // The schema and indexes first, through the Store; then the rows, straight into the file.
  const made = localPorts({
    dbFile,
    secretKey: Buffer.alloc(32, 3),
    now: () => NOW,
    log: { info() {}, warn() {}, error() {} },
  })
  await seedLocalCloud(made.store, NOW)
  await seedDemoOperators(made)
  made.store.close()
  const db = new Database(dbFile)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = OFF')
  const insert = db.prepare('INSERT INTO docs (collection, id, version, data) VALUES (?, ?, 1, ?)')
  const r = rng(17)
  const started = Date.now()
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const openid = `o_bench_${i}`
      const last4 = String(i % 10_000).padStart(4, '0')
      insert.run(
        'users',
        openid,
        JSON.stringify({
          ...t.user,
          openid,
          identity: { ...t.user.identity, mobileMasked: `138****${last4}`, mobileLast4: last4 },
        }),
      )
      insert.run('lines', `${openid}:we2000`, JSON.stringify({ ...t.line, openid }))
      for (let j = 0; j < PER; j++) {
        const id = `L_bench_${i}_${j}`
        const appliedAt = NOW - (i * PER + j) * 1_000
        insert.run(
          'loans',
          id,
          JSON.stringify({ ...t.loan, openid, lineId: `${openid}:we2000`, loan: { ...t.loan.loan, id, appliedAt } }),
        )
      }
      // Kept as the pre-check keeps it: the profile and what the published rules decided on it.
      const profile = varied(t.profile.profile, r) as CreditProfile
      const evaluation = precheck(profile, DEFAULT_RULE_SET, NOW)
      insert.run(
        'decisionProfiles',
        `p_bench_${i}`,
        JSON.stringify({
          all: 1,
          key: `p_bench_${i}`,
          at: NOW - i * 1_000,
          profile,
          decided: { version: evaluation.ruleSetVersion, products: evaluation.products.map(decisionSummary) },
        }),
      )
    }
  })
  for (let i = 0; i < BORROWERS; i += 5_000) {
    batch(i, Math.min(BORROWERS, i + 5_000))
    process.stdout.write(`\r  seeding ${Math.min(BORROWERS, i + 5_000)}/${BORROWERS} borrowers…`)
  }
  db.transaction(() => {
    for (let k = 0; k < WAITING + DECIDED; k++) {
      const waiting = k < WAITING
      const i = k % BORROWERS
      insert.run(
        'reviewCases',
        `C_bench_${k}`,
        JSON.stringify({
          openid: `o_bench_${i}`,
          product: 'weilidai',
          kind: 'drawdown',
          subjectId: `L_bench_${i}_0`,
          amountFen: 6_000_000,
          state: waiting ? 'waiting' : k % 2 ? 'approved' : 'refused',
          note: '',
          requestedAt: NOW - k * 60_000,
          expiresAt: NOW - k * 60_000 + 7 * DAY_MS,
          decidedAt: waiting ? null : NOW,
          outcome: waiting ? null : '审核通过：基准测试',
          decision: { ruleSetVersion: 'rules/2026-11-28.1', score: 0, reasons: ['risk.manualReview'] },
          proposal: null,
          trail: [],
          confirmedBy: null,
        }),
      )
    }
    for (let d = 0; d < 30; d++) {
      const day = chinaDateString(NOW - d * DAY_MS)
      const entry = 500 + Math.floor(r() * 500)
      insert.run(
        'funnelDays',
        funnelDayId('cafe01', day),
        JSON.stringify({
          merchantCode: 'cafe01',
          day,
          entry,
          agreements: Math.floor(entry * 0.8),
          realName: Math.floor(entry * 0.6),
          precheck: Math.floor(entry * 0.5),
          lineOpened: Math.floor(entry * 0.3),
          firstDrawdown: Math.floor(entry * 0.2),
        }),
      )
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  const size = fs.statSync(dbFile).size
  console.log(
    `\r  seeded ${BORROWERS.toLocaleString()} borrowers, ${(BORROWERS * PER).toLocaleString()} loans, ${(WAITING + DECIDED).toLocaleString()} review cases in ${((Date.now() - started) / 1000).toFixed(0)} s (${(size / 2 ** 30).toFixed(2)} GiB)`,
  )
}

function firstLoadGzip(): { files: number; bytes: number; gzip: number } {
  const dist = path.join(ROOT, 'console', 'dist')
  if (!fs.existsSync(path.join(dist, 'index.html')))
    execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'console/vite.config.ts', '--logLevel', 'error'],
      { cwd: ROOT },
    )
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
  const files = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
  let bytes = 0
  let gzip = 0
  for (const f of files) {
    const b = fs.readFileSync(path.join(dist, f))
    bytes += b.length
    gzip += zlib.gzipSync(b, { level: 9 }).length
  }
  return { files: files.length, bytes, gzip }
}

async function main() {
  // BENCH_DB=<file>: a book seeded by an earlier run (KEEP_DB=1 keeps it), measured again without seeding.
  const reuse = process.env.BENCH_DB && fs.existsSync(process.env.BENCH_DB) ? process.env.BENCH_DB : null
  const dir = reuse ? path.dirname(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-console-'))
  const dbFile = reuse ?? path.join(dir, 'kaitong.db')
  console.log(`bench:console — ${BORROWERS.toLocaleString()} borrowers × ${PER} loans in ${dbFile}`)
  if (!reuse) await seed(dbFile)
  const ports = localPorts({
    dbFile,
    secretKey: Buffer.alloc(32, 3),
    now: () => NOW,
    log: { info() {}, warn() {}, error() {} },
  })
  const cloud = createLocalCloud({ ports, mode: 'local' })
  const base = await listen(cloud)
  const tokens = {
    reviewer: (await devOperatorSession(ports, 'reviewer-a')).token,
    finance: (await devOperatorSession(ports, 'finance')).token,
    ops: (await devOperatorSession(ports, 'ops')).token,
    risk: (await devOperatorSession(ports, 'risk')).token,
  }
  const ask = async (token: string, action: string, data: unknown, requestId?: string) => {
    const t0 = performance.now()
    const r = await postJson(base, '/api/console', { action, data, ...(requestId ? { requestId } : {}) }, token)
    const took = performance.now() - t0
    if (!r.json.ok) throw new Error(`${action}: ${JSON.stringify(r.json.error)}`)
    return { took, data: r.json.data }
  }
  const series = async (name: string, goal: number, run: (i: number) => Promise<{ took: number }>) => {
    for (let i = 0; i < 10; i++) await run(i)
    const times: number[] = []
    for (let i = 0; i < REQUESTS; i++) times.push((await run(i)).took)
    times.sort((a, b) => a - b)
    const p99 = quantile(times, 0.99)
    console.log(
      `  ${name.padEnd(34)} p50 ${ms(quantile(times, 0.5)).padStart(9)}  p99 ${ms(p99).padStart(9)}  max ${ms(times[times.length - 1]).padStart(9)}   goal ≤ ${goal} ms: ${(p99 / goal).toFixed(2)}× ${p99 <= goal ? 'ok' : 'OVER'}`,
    )
  }
  console.log(`\n  ${REQUESTS} sequential requests each, over HTTP (POST /api/console):`)
  const queue = await ask(tokens.reviewer, 'reviews.list', { state: 'waiting' })
  console.log(`  (the queue answers ${queue.data.length} of ${WAITING} waiting cases, oldest first)`)
  await series('reviews.list (waiting)', 100, () => ask(tokens.reviewer, 'reviews.list', { state: 'waiting' }))
  await series('reviews.get', 100, (i) => ask(tokens.reviewer, 'reviews.get', { caseId: `C_bench_${i % WAITING}` }))
  const hits = await ask(tokens.finance, 'borrowers.search', { query: '0042' })
  console.log(
    `  (a search by the mobile's last 4 finds ${hits.data.length} borrowers with ${hits.data.reduce((s: number, h: { loans: unknown[] }) => s + h.loans.length, 0)} loans)`,
  )
  await series('borrowers.search (mobile last 4)', 100, (i) =>
    ask(tokens.finance, 'borrowers.search', { query: String((i * 37) % 10_000).padStart(4, '0') }),
  )
  await series('borrowers.search (loan id)', 100, (i) =>
    ask(tokens.finance, 'borrowers.search', { query: `L_bench_${(i * 97) % BORROWERS}_3` }),
  )
  const to = chinaDateString(NOW)
  const from = chinaDateString(NOW - 29 * DAY_MS)
  await series('merchants.funnel (30 days)', 500, () =>
    ask(tokens.ops, 'merchants.funnel', { merchantCode: 'cafe01', from, to }),
  )

  const listed = await ask(tokens.risk, 'versions.list', {})
  const publishedBody = (kind: string) =>
    JSON.parse(
      JSON.stringify(
        listed.data.find((v: { kind: string; state: string }) => v.kind === kind && v.state === 'published').body,
      ),
    )
  const body = publishedBody('rules')
  body.products.we2000.minScore += 5
  body.gates.maxHardInquiries = Math.max(0, body.gates.maxHardInquiries - 1)
  // A catalog draft as well: WE2000 up to ¥3,000 (limits move; the rules decide as before).
  const catalog = publishedBody('catalog')
  catalog.products.we2000.limitFen.max = 300_000
  catalog.products.we2000.amountStepsFen = [...catalog.products.we2000.amountStepsFen, 300_000]
  for (const [kind, draftBody] of [
    ['rules', body],
    ['catalog', catalog],
  ] as const) {
    const draft = await ask(
      tokens.risk,
      'versions.draft',
      { kind, body: draftBody, note: 'bench' },
      `bench-draft-${kind}-${Date.now()}`,
    )
    console.log(`\n  simulating ${draft.data.versionId} on the stored profiles:`)
    for (let k = 0; k < 3; k++) {
      const sim = await ask(tokens.risk, 'versions.simulate', { versionId: draft.data.versionId })
      const changed = Object.entries(sim.data.byProduct as Record<string, { changed: number }>)
        .map(([p, c]) => `${p} ${c.changed.toLocaleString()}`)
        .join(', ')
      console.log(
        `  versions.simulate: ${sim.data.profiles.toLocaleString()} profiles in ${(sim.took / 1000).toFixed(2)} s (goal ≤ 5 s: ${(sim.took / 5000).toFixed(2)}×) — decisions changed: ${changed}`,
      )
    }
  }
  const load = firstLoadGzip()
  console.log(
    `\n  console first load: ${load.files} JS files, ${(load.bytes / 1024).toFixed(0)} KB (${(load.gzip / 1024).toFixed(0)} KB gzip) — goal ≤ 350 KB gzip: ${(load.gzip / 1024 / 350).toFixed(2)}×`,
  )
  await new Promise<void>((r) => cloud.server.close(() => r()))
  ports.store.close()
  if (process.env.KEEP_DB === '1' || reuse) console.log(`  (kept: BENCH_DB=${dbFile})`)
  else fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
