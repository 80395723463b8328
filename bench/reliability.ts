// `npm run bench:reliability`: the reliability suite at full size and the load figures.
//  1. load: autocannon, 50 connections for 20 s, against credit.precheck, loans.get and loans.apply
//     (drawdowns by 50 borrowers on their own lines) on the local cloud running as its own process
//     (goal: p99 ≤ 50 ms on this 2-core machine), then the payment callback (POST /api/payCallback)
//     for 4,500 paid orders, each delivered three times in a row (goal: p99 ≤ 50 ms, each recorded once);
//  2. stores: the SQLite Store and the WeChat Store through the real wx-server-sdk and the stand-in
//     (KAITONG_CLOUD=wechat-standin) side by side — p99 of loans.get under the same load
//     (STORE_SECONDS each), and of a first loan (the line opened, then loans.apply; DRAWDOWNS people one at a time);
//  3. fuzz: 10,000 generated inputs per action (FUZZ_RUNS), and crash: 1,000 applications with
//     kill -9 at three points (CRASH_APPS) — the same test files npm test runs at CI size.
// SKIP_LOAD=1 / SKIP_STORES=1 / SKIP_FULL=1 leave a part out; BENCH_ONLY=drawdown loads only the drawdowns.
import { borrowOverHttp, freshRequestId, onboardOverHttp, signedNote } from '../test/support/http-borrower'
import autocannon from 'autocannon'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { luhnCheckDigit } from '../src/domain/bank-card'
import { idCheckChar } from '../src/domain/id-card'
import { startCloudProcess } from '../test/support/local-cloud-process'
import type { GroupCommitFigures } from '../server/local/adapters/sqlite-store'
import {
  BORROWERS,
  benchPerson,
  CONNECTIONS,
  DRAWDOWN,
  drawdownBorrowers,
  drawdownLoadOptions,
  personaProfile,
  personWithLine,
  poster,
  type Answers,
} from './drawdowns'

const ROOT = path.resolve(__dirname, '..')
const DURATION = Number(process.env.LOAD_SECONDS ?? 20)
/** BENCH_ONLY=drawdown: of the load, only the drawdowns (to profile them, or to compare two commits). */
const ONLY_DRAWDOWNS = process.env.BENCH_ONLY === 'drawdown'
const STORE_SECONDS = Number(process.env.STORE_SECONDS ?? 10)
const DRAWDOWNS = Number(process.env.DRAWDOWNS ?? 200)

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]

/** One Store's figures: loans.get under load, and drawdowns one at a time, each by its own person. */
async function storeFigures(kind: 'local' | 'wechat-standin') {
  const cloud = await startCloudProcess({ env: { KAITONG_CLOUD: kind === 'local' ? '' : kind } })
  try {
    return await measureStore(kind, cloud.url.replace(/\/$/, ''))
  } finally {
    await cloud.stop()
  }
}

async function measureStore(kind: string, base: string) {
  const post = poster(base)
  const profile = await personaProfile(base)
  const person = async (i: number) => {
    const p = await benchPerson(base, `bench${i}`, 100 + i, i, profile)
    await p.call('onboarding', 'authorizePayScore', {})
    return p
  }
  const ms: number[] = []
  let loanId = ''
  let first: { token: string } | undefined
  for (let i = 0; i < DRAWDOWNS; i++) {
    const p = await person(i)
    const started = performance.now()
    const loan = await borrowOverHttp(p.call, { amountFen: 50_000, termMonths: 6, mode: 'equal-installment' })
    ms.push(performance.now() - started)
    if (!loan.ok) throw new Error(`${kind}: drawdown ${i}: ${JSON.stringify(loan.error)}`)
    if (!first) {
      first = p
      loanId = loan.data.loan.id
    }
  }
  ms.sort((a, b) => a - b)
  // One loans.get at a time: what one document-database call costs end to end, without queueing.
  const serial: number[] = []
  for (let i = 0; i < 300; i++) {
    const started = performance.now()
    await post('/api/loans', { action: 'get', data: { loanId } }, first!.token)
    serial.push(performance.now() - started)
  }
  serial.sort((a, b) => a - b)
  const r = await autocannon({
    url: `${base}/api/loans`,
    connections: 50,
    duration: STORE_SECONDS,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${first!.token}` },
    body: JSON.stringify({ action: 'get', data: { loanId } }),
  })
  if (r.non2xx || r.errors) throw new Error(`${kind}: loans.get answered ${r.non2xx} non-2xx, ${r.errors} errors`)
  return {
    getP99: r.latency.p99,
    line: [
      `${kind.padEnd(14)} loans.get one at a time (300): p50 ${quantile(serial, 0.5).toFixed(2)} ms, p99 ${quantile(serial, 0.99).toFixed(2)} ms`,
      `${''.padEnd(14)} loans.get: ${Math.round(r.requests.average).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms (50 connections, ${STORE_SECONDS} s)`,
      `${''.padEnd(14)} first loan (open the line + apply, ${DRAWDOWNS} people one at a time): p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms`,
    ],
    drawP99: quantile(ms, 0.99),
  }
}

async function stores(): Promise<string[]> {
  const sqlite = await storeFigures('local')
  const standin = await storeFigures('wechat-standin')
  return [
    ...sqlite.line,
    ...standin.line,
    `stand-in / SQLite: loans.get p99 ×${(standin.getP99 / sqlite.getP99).toFixed(1)}, drawdown p99 ×${(standin.drawP99 / sqlite.drawP99).toFixed(1)}`,
  ]
}

/** How long the simulated gateway takes to confirm a payout: at once (the default), or as `npm start` serves it (1500). */
const PAYOUT_MS = process.env.BENCH_PAYOUT_MS ?? '0'

async function load(): Promise<string[]> {
  const cloud = await startCloudProcess({ env: { KAITONG_SIM_PAYOUT_MS: PAYOUT_MS } })
  const base = cloud.url.replace(/\/$/, '')
  const post = poster(base)
  const token = (await post('/__dev/signin', { user: 'alice' })).data.token
  const call = (fn: string, action: string, data: unknown) =>
    post(`/api/${fn}`, { action, data, requestId: freshRequestId() }, token)
  const id17 = '11010119900307451'
  const p = { name: '张三', idNumber: id17 + idCheckChar(id17), mobile: '13812345678' }
  await onboardOverHttp(call, p, '622588123456789' + luhnCheckDigit('622588123456789'))
  const loan = await borrowOverHttp(call, { amountFen: 50_000, termMonths: 6, mode: 'equal-installment' })
  const lines: string[] = []
  for (const [name, fn, body] of ONLY_DRAWDOWNS
    ? []
    : ([
        ['credit.precheck', 'credit', { action: 'precheck', data: {} }],
        ['loans.get', 'loans', { action: 'get', data: { loanId: loan.data.loan.id } }],
      ] as const)) {
    const r = await autocannon({
      url: `${base}/api/${fn}`,
      connections: 50,
      duration: DURATION,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
    lines.push(
      `${name}: ${Math.round(r.requests.average).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${r.requests.total.toLocaleString('en')} requests, ${r.non2xx} non-2xx, ${r.errors} errors (50 connections, ${DURATION} s)`,
    )
  }
  lines.push(await drawdownLoad(base, cloud.child.pid!))
  // Repayments need loans paid out: with a gateway that confirms later there are none yet to repay.
  if (PAYOUT_MS === '0' && !ONLY_DRAWDOWNS) lines.push(await callbackLoad(base))
  await cloud.stop()
  return lines
}

/** Payments whose callbacks the load delivers, and how many times each is delivered. */
const CALLBACK_PAYMENTS = Number(process.env.BENCH_CALLBACK_PAYMENTS ?? 4_500)
const COPIES = 3

/**
 * The payment callback at 50 connections with duplicates: 4,500 repayments opened (one per loan,
 * 30 loans for each of 150 borrowers), each paid at the simulated WeChat Pay with its notification
 * held back; then the notifications, each delivered three times in a row — so the copies of one
 * are in flight together on different connections — through the payCallback function (POST
 * /api/payCallback, the function's whole path: the order asked of WeChat Pay, then the payment,
 * the loan, its line, receipt, journal entry and audit entry in one transaction; a copy finds it
 * recorded). Every payment must end paid exactly once.
 */
async function callbackLoad(base: string): Promise<string> {
  const post = poster(base)
  const profile = await personaProfile(base)
  const people: Array<Awaited<ReturnType<typeof personWithLine>>> = []
  for (let i = 0; i < BORROWERS; i++)
    people.push(await personWithLine(base, `payer${i}`, 700 + i, 700_000 + i, profile))
  const ids: string[] = []
  const per = Math.ceil(CALLBACK_PAYMENTS / BORROWERS)
  await Promise.all(
    people.map(async ({ token, call }) => {
      const contractSha256 = await signedNote(call, DRAWDOWN)
      for (let k = 0; k < per; k++) {
        const loan = await call('loans', 'apply', { ...DRAWDOWN, contractSha256 })
        if (!loan.ok) throw new Error(`apply: ${JSON.stringify(loan.error)}`)
        const r = await call('loans', 'repay', { loanId: loan.data.loan.id, amountFen: 'due' })
        if (!r.ok) throw new Error(`repay: ${JSON.stringify(r.error)}`)
        const paid = await post(
          `/__dev/payments/${r.data.payment.paymentId}`,
          { outcome: 'success', deliver: false },
          token,
        )
        if (!paid.ok) throw new Error(`pay: ${JSON.stringify(paid.error)}`)
        ids.push(r.data.payment.paymentId)
      }
    }),
  )
  let next = 0
  const answers = { ok: 0, retry: 0 }
  const r = await autocannon({
    url: `${base}/api/payCallback`,
    connections: CONNECTIONS,
    amount: ids.length * COPIES,
    method: 'POST',
    requests: [
      {
        setupRequest: (req) => {
          const id = ids[Math.floor(next++ / COPIES) % ids.length]
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${people[0].token}` },
            body: JSON.stringify({ outTradeNo: id, resultCode: 'SUCCESS', returnCode: 'SUCCESS' }),
          }
        },
        onResponse: (_status, body) => {
          if ((JSON.parse(body) as { errcode: number }).errcode === 0) answers.ok++
          else answers.retry++
        },
      },
    ],
  })
  // Exactly once: every payment paid, one repayment receipt each.
  let paid = 0
  for (const { call } of people) {
    const loans = await call('loans', 'list', {})
    for (const loan of loans.data as Array<{ id: string }>) {
      const ps = await call('payments', 'list', { loanId: loan.id })
      paid += (ps.data as Array<{ state: string }>).filter((p) => p.state === 'paid').length
    }
  }
  return `payCallback (${ids.length.toLocaleString('en')} paid orders, each delivered ${COPIES}× in a row): ${Math.round(r.requests.average).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${answers.ok.toLocaleString('en')} acknowledged, ${answers.retry} asked again, ${r.non2xx} non-2xx, ${r.errors} errors; ${paid.toLocaleString('en')} of ${ids.length.toLocaleString('en')} payments recorded paid (${CONNECTIONS} connections; goal p99 ≤ 50 ms)`
}

/**
 * What the local cloud's process (its request thread, writer and checkpointer together) has spent
 * so far: CPU milliseconds and bytes written to disk (Linux /proc; null elsewhere). Per request,
 * these hardly move with what else the machine runs, as throughput and latency do.
 */
function processCost(pid: number): { cpuMs: number; writtenBytes: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8')
    const written = Number(/write_bytes: (\d+)/.exec(io)?.[1] ?? 0)
    return { cpuMs: ticks * 10, writtenBytes: written }
  } catch {
    return null
  }
}

/**
 * The machine's CPU time so far (Linux /proc/stat, every core): all of it, idle, and stolen by the
 * host (part of what is not idle), and how many cores the line counts.
 */
function machineTicks(): { total: number; idle: number; steal: number; cores: number } | null {
  try {
    const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n')
    const t = lines[0].trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest time is counted in user already)
    return {
      total: t.slice(0, 8).reduce((a, b) => a + b, 0),
      idle: t[3] + t[4],
      steal: t[7],
      cores: lines.filter((l) => /^cpu\d+ /.test(l)).length,
    }
  } catch {
    return null
  }
}

/**
 * What the goal asks of this machine. With every connection waiting for its own answer, the mean
 * latency is connections over throughput; at the run's own p99/mean, p99 ≤ 50 ms needs
 * `connections × (p99/mean) / 50 ms` drawdowns a second, and that many times the CPU a drawdown
 * cost the cloud is the cores the cloud alone would need — beside the load generator's.
 */
function goalNeeds(
  run: { connections: number; meanMs: number; p99Ms: number },
  cpuMsPerDrawdown: number,
): { reqPerS: number; cores: number } {
  const reqPerS = (run.connections * (run.p99Ms / run.meanMs)) / 0.05
  return { reqPerS, cores: (reqPerS * cpuMsPerDrawdown) / 1000 }
}

/** The store's group-commit figures so far (GET /__dev/store), or null on a cloud without the SQLite store. */
async function groupCommit(base: string): Promise<GroupCommitFigures | null> {
  const r = await fetch(`${base}/__dev/store`)
  const body = (await r.json()) as { ok: boolean; data?: GroupCommitFigures }
  return body.ok && body.data ? body.data : null
}

/** What the store's writer did during the load: its groups and writes, and its times per drawdown. */
interface WriterRun {
  groups: number
  writes: number
  /** Per drawdown: its groups in flight (sent until the answer is taken in), and the writer committing them. */
  inFlightMs: number
  committingMs: number
}

function writerRun(before: GroupCommitFigures, after: GroupCommitFigures, drawdowns: number): WriterRun | null {
  const groups = after.groups - before.groups
  if (groups <= 0) return null
  return {
    groups,
    writes: after.writes - before.writes,
    inFlightMs: (after.inFlightMs - before.inFlightMs) / drawdowns,
    committingMs: (after.committingMs - before.committingMs) / drawdowns,
  }
}

/**
 * The writer commits one group at a time, so when a group is in flight nearly all the run, the
 * drawdowns a second are at most 1 s over the time in flight per drawdown — at this many
 * connections: more would gather bigger groups, each fsync shared by more drawdowns. The time in
 * flight beyond the commit is the group's passing between the threads and its answer waiting while
 * the request thread serves other requests; 1 s over the commit time alone is the most the writer
 * could carry if every answer were taken in the moment it came.
 */
function writerLine(w: WriterRun, drawdowns: number, runMs: number): string {
  return [
    `  the store's writer: ${Math.round((1000 * w.groups) / runMs).toLocaleString('en')} groups/s of ${(w.writes / w.groups).toFixed(1)} writes (${(drawdowns / w.groups).toFixed(1)} drawdowns, ${(w.writes / drawdowns).toFixed(1)} writes each), a group in flight ${((100 * w.inFlightMs * drawdowns) / runMs).toFixed(0)}% of the run;`,
    `per drawdown ${w.inFlightMs.toFixed(2)} ms in flight, ${w.committingMs.toFixed(2)} ms of it committing:`,
    `at this group size one writer carries at most ${Math.round(1000 / w.inFlightMs).toLocaleString('en')} drawdowns/s so, ${Math.round(1000 / w.committingMs).toLocaleString('en')} if every answer were taken in at once`,
  ].join(' ')
}

/**
 * loans.apply (a drawdown) at 50 connections, timed: bench/drawdowns.ts's borrowers and requests —
 * the drawdown's whole path: guard, line, soft report, pricing, the line and the loan in one
 * transaction, receipts and audit, the payout.
 */
async function drawdownLoad(base: string, pid: number): Promise<string> {
  const borrowers = await drawdownBorrowers(base)
  const answers: Answers = { drawn: 0, disbursed: 0, refused: 0 }
  const before = processCost(pid)
  const machineBefore = machineTicks()
  const storeBefore = await groupCommit(base)
  const started = performance.now()
  const r = await autocannon(drawdownLoadOptions(base, borrowers, answers, { duration: DURATION }))
  const runMs = performance.now() - started
  const storeAfter = await groupCommit(base)
  const n = Math.max(1, r.requests.total)
  // The writer's figures need no /proc.
  const writer = storeBefore && storeAfter ? writerRun(storeBefore, storeAfter, n) : null
  const writerLines = writer ? [writerLine(writer, n, runMs)] : []
  const answer = `loans.apply (drawdown, ${BORROWERS} borrowers on their own lines): ${Math.round(r.requests.average).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${answers.drawn.toLocaleString('en')} approved (${answers.disbursed.toLocaleString('en')} paid out before the answer; the gateway confirms ${PAYOUT_MS === '0' ? 'at once' : `after ${PAYOUT_MS} ms`}), ${answers.refused} not, ${r.non2xx} non-2xx, ${r.errors} errors (${CONNECTIONS} connections, ${DURATION} s; goal p99 ≤ 50 ms)`
  const after = processCost(pid)
  const machineAfter = machineTicks()
  if (!before || !after || !machineBefore || !machineAfter)
    return [answer, `  per drawdown, the cloud's process: n/a (no /proc here)`, ...writerLines].join('\n')
  const cpuMs = (after.cpuMs - before.cpuMs) / n
  const ticks = machineAfter.total - machineBefore.total
  const perDrawdown = `  per drawdown, the cloud's process: ${cpuMs.toFixed(2)} ms of CPU, ${((after.writtenBytes - before.writtenBytes) / n / 1024).toFixed(1)} KB written to disk`
  if (ticks <= 0 || !(r.latency.average > 0)) return [answer, perDrawdown, ...writerLines].join('\n')
  const busy = (100 * (ticks - (machineAfter.idle - machineBefore.idle))) / ticks
  const stolen = (100 * (machineAfter.steal - machineBefore.steal)) / ticks
  const needs = goalNeeds({ connections: CONNECTIONS, meanMs: r.latency.average, p99Ms: r.latency.p99 }, cpuMs)
  return [
    answer,
    perDrawdown,
    ...writerLines,
    `  the machine during the run: ${machineAfter.cores} cores, ${busy.toFixed(0)}% busy (of it ${stolen.toFixed(0)}% stolen by its host)`,
    `  the goal needs, at this run's p99/mean (${(r.latency.p99 / r.latency.average).toFixed(2)}): ${Math.round(needs.reqPerS).toLocaleString('en')} req/s, so ${needs.cores.toFixed(2)} cores of the cloud's CPU at this CPU per drawdown (this run used ${((n * cpuMs) / runMs).toFixed(2)})${writer ? `, and the writer's turn at most ${(1000 / needs.reqPerS).toFixed(2)} ms a drawdown` : ''}`,
  ].join('\n')
}

function fullSuite(): string[] {
  const env = {
    ...process.env,
    FUZZ_RUNS: process.env.FUZZ_RUNS ?? '10000',
    CRASH_APPS: process.env.CRASH_APPS ?? '1000',
  }
  const started = Date.now()
  const r = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'jest'),
    ['--selectProjects', 'node', '--testPathPattern', 'test/reliability/(fuzz|crash)', '--silent'],
    { cwd: ROOT, env, encoding: 'utf8' },
  )
  const summary = `${r.stdout}\n${r.stderr}`.split('\n').find((l) => /^Tests:/.test(l.trim())) ?? '(no summary)'
  return [
    `fuzz: ${env.FUZZ_RUNS} generated inputs per action over HTTP, every action; crash: ${env.CRASH_APPS} applications, kill -9 at 3 points`,
    `  ${summary.trim()} in ${((Date.now() - started) / 1000).toFixed(0)} s (exit ${r.status})`,
  ]
}

async function main() {
  console.log(`reliability benchmark — node ${process.version}, ${new Date().toISOString()}`)
  if (process.env.SKIP_LOAD !== '1') for (const line of await load()) console.log(line)
  if (process.env.SKIP_STORES !== '1') for (const line of await stores()) console.log(line)
  if (process.env.SKIP_FULL !== '1') for (const line of fullSuite()) console.log(line)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
